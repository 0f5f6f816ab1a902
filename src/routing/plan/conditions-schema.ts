/** The condition language of the routing plan (rules and IVR ordering rules share it). */
import { type Static, Type as T } from '@sinclair/typebox';

const Str = T.String({ minLength: 1 });
const OneOrMany = <S extends ReturnType<typeof T.String>>(s: S) => T.Union([s, T.Array(s, { minItems: 1 })]);
const Scalar = T.Union([T.String(), T.Number(), T.Boolean()]);
const strict = { additionalProperties: false } as const;

export const ConditionSchema = T.Recursive(
  (Self) =>
    T.Object(
      {
        dnis: T.Optional(
          T.Object(
            {
              exact: T.Optional(OneOrMany(Str)),
              /** The same as a list under `exact`, for plans that read better so. */
              in: T.Optional(T.Array(Str, { minItems: 1 })),
              prefix: T.Optional(OneOrMany(Str)),
            },
            strict,
          ),
        ),
        ani: T.Optional(
          T.Object(
            {
              kind: T.Optional(
                OneOrMany(T.String({ pattern: '^(e164|extension|withheld|unavailable|unknown)$' })),
              ),
              country: T.Optional(OneOrMany(T.String({ pattern: '^[A-Z]{2}$' }))),
              region: T.Optional(OneOrMany(Str)),
              type: T.Optional(OneOrMany(Str)),
            },
            strict,
          ),
        ),
        customer: T.Optional(
          T.Object(
            {
              known: T.Optional(T.Boolean()),
              tier: T.Optional(OneOrMany(Str)),
              language: T.Optional(OneOrMany(Str)),
              attributes: T.Optional(T.Record(Str, Scalar)),
              purchasedWithinDays: T.Optional(T.Integer()),
              sku: T.Optional(Str),
              openTicket: T.Optional(T.Boolean()),
            },
            strict,
          ),
        ),
        time: T.Optional(
          T.Object(
            {
              calendar: T.Optional(Str),
              open: T.Optional(T.Boolean()),
              between: T.Optional(Str),
              days: T.Optional(T.Array(T.String({ pattern: '^(mon|tue|wed|thu|fri|sat|sun)$' }))),
              timezone: T.Optional(Str),
            },
            strict,
          ),
        ),
        ivrChoice: T.Optional(OneOrMany(Str)),
        not: T.Optional(Self),
        any: T.Optional(T.Array(Self, { minItems: 1 })),
      },
      strict,
    ),
  { $id: 'Condition' },
);

export type Condition = Static<typeof ConditionSchema>;
