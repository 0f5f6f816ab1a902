/**
 * The routing plan file (`routing.yaml`, or JSON): calendars, skills, queues, agents, the ACD's
 * settings and the ordered rules. Documented in docs/routing.md; checked by load.ts.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { IvrSchema } from '../../ivr/schema.js';
import { ConditionSchema } from './conditions-schema.js';

export { type Condition, ConditionSchema } from './conditions-schema.js';

const Id = T.String({ pattern: '^[a-z0-9][a-z0-9_.-]*$', description: 'lowercase id' });
const Str = T.String({ minLength: 1 });
const Device = T.String({ pattern: '^[0-9A-Za-z*#+]{1,32}$', description: 'a device (number) on the PBX' });
const Priority = T.Integer({ minimum: -1000, maximum: 1000 });
const strict = { additionalProperties: false } as const;

const DateOrYearly = T.String({
  pattern: '^([0-9]{4}-)?[0-9]{2}-[0-9]{2}$',
  description: 'YYYY-MM-DD or MM-DD',
});

export const DAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type DayName = (typeof DAY_NAMES)[number];

const Calendar = T.Object(
  {
    timezone: T.Optional(Str),
    /** `mon`, `sat`, or a span `mon-fri` → ranges `HH:MM-HH:MM`. */
    hours: T.Record(
      T.String({ pattern: '^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?$' }),
      T.Array(Str),
    ),
    // Optional rather than defaulted: TypeBox does not fill defaults inside a record's values.
    /** Closed all day: `YYYY-MM-DD` once, or `MM-DD` every year (`12-25`). */
    holidays: T.Optional(T.Array(DateOrYearly)),
    /** Closed all day for another reason (inventory, move): shown as such in traces. */
    closedDates: T.Optional(T.Array(DateOrYearly)),
  },
  strict,
);

export const ActionSchema = T.Object(
  {
    queue: T.Optional(Id),
    destination: T.Optional(Device),
    priority: T.Optional(Priority),
    skills: T.Optional(T.Array(Id)),
    preferLastAgent: T.Optional(T.Boolean()),
    /** This call's own overflow, before its queue's: after N seconds waiting, to another queue. */
    overflow: T.Optional(
      T.Object({ afterSeconds: T.Integer({ minimum: 1 }), to: Id }, { additionalProperties: false }),
    ),
    message: T.Optional(Str),
    fallback: T.Optional(Device),
  },
  strict,
);

export const PlanSchema = T.Object(
  {
    match: T.Literal('first', {
      default: 'first',
      description: 'Rules are tried in order and the first whose conditions all hold decides.',
    }),
    timezone: T.String({ minLength: 1, default: 'Europe/Paris' }),
    calendars: T.Record(Id, Calendar, { default: {} }),
    skills: T.Array(Id, { default: [] }),
    queues: T.Array(
      T.Object(
        {
          id: Id,
          name: T.Optional(Str),
          device: Device,
          skills: T.Array(Id, { default: [] }),
          /** Priority of the calls the plan sends here when the rule sets none. */
          priority: T.Optional(Priority),
          overflow: T.Optional(T.Object({ afterSeconds: T.Integer({ minimum: 1 }), to: Id }, strict)),
          /** The target: `percent` of calls answered within `seconds` (for supervision; not routing). */
          serviceLevel: T.Optional(
            T.Object(
              {
                percent: T.Number({ exclusiveMinimum: 0, maximum: 100 }),
                seconds: T.Integer({ minimum: 1 }),
              },
              strict,
            ),
          ),
        },
        strict,
      ),
      { default: [] },
    ),
    agents: T.Array(
      T.Object(
        {
          id: Id,
          name: T.Optional(Str),
          device: T.Optional(Device),
          skills: T.Record(Id, T.Integer({ minimum: 1, maximum: 9 }), { default: {} }),
        },
        strict,
      ),
      { default: [] },
    ),
    acd: T.Object(
      {
        ageing: T.Object(
          {
            pointsPerSecond: T.Number({ minimum: 0, default: 1 }),
            maxWaitSeconds: T.Integer({ minimum: 1, default: 120 }),
          },
          { ...strict, default: {} },
        ),
        preferredAgentWaitSeconds: T.Integer({ minimum: 0, default: 10 }),
        wrapUpSeconds: T.Integer({ minimum: 0, default: 0 }),
      },
      { ...strict, default: {} },
    ),
    rules: T.Array(
      // biome-ignore lint/suspicious/noThenProperty: a rule reads "when … then …" in the plan file; never awaited
      T.Object({ name: Str, when: T.Optional(ConditionSchema), then: ActionSchema }, strict),
      {
        default: [],
      },
    ),
    default: T.Optional(ActionSchema),
    ivr: T.Optional(IvrSchema),
  },
  strict,
);

export type Plan = Static<typeof PlanSchema>;
export type Action = Static<typeof ActionSchema>;
