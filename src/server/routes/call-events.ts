/**
 * POST /api/v1/call-events: the HTTP link. Systems that can send webhooks (a cloud PBX, a test
 * harness, a recorder) hand Relais the same canonical CallEvents a CSTA or SIP link produces.
 * Events are validated strictly and go to the tracker in the order given; 202 once ingested.
 */
import { type FastifyPluginAsyncTypebox, type Static, Type as T } from '@fastify/type-provider-typebox';
import type { CallEvent } from '../../model/call.js';
import { bearer, commonErrors } from '../schemas.js';

const strict = { additionalProperties: false } as const;
const Id = T.String({ minLength: 1, maxLength: 128 });
const Raw = T.String({ maxLength: 256 });
const base = {
  callId: Id,
  link: T.Optional(T.String({ minLength: 1, maxLength: 64, description: 'Defaults to "http".' })),
  at: T.Optional(T.Integer({ minimum: 0, description: 'Epoch milliseconds at the source; default: now.' })),
  eventId: T.Optional(T.String({ minLength: 1, maxLength: 128, description: 'Drops a resent duplicate.' })),
};
const ev = <P extends Record<string, ReturnType<typeof T.String> | ReturnType<typeof T.Optional>>>(
  type: string,
  props: P,
) => T.Object({ type: T.Literal(type), ...base, ...props }, strict);

export const CallEventBody = T.Union(
  [
    ev('offered', {
      ani: Raw,
      aniName: T.Optional(Raw),
      dnis: Raw,
      device: T.Optional(Id),
      redirectingNumber: T.Optional(Raw),
    }),
    ev('queued', { queue: Id }),
    ev('alerting', { device: Id, agentId: T.Optional(Id) }),
    ev('connected', { device: Id, agentId: T.Optional(Id) }),
    ev('held', { device: T.Optional(Id) }),
    ev('retrieved', { device: T.Optional(Id) }),
    ev('transferred', { from: T.Optional(Id), to: Id }),
    ev('diverted', { from: T.Optional(Id), to: Id, reason: T.Optional(T.String({ maxLength: 64 })) }),
    ev('cleared', { cause: T.Optional(T.String({ maxLength: 64 })) }),
    ev('failed', { cause: T.String({ maxLength: 64 }) }),
  ],
  { $id: 'CallEvent', description: 'A canonical call event (src/model/call.ts).' },
);

const Body = T.Object({ events: T.Array(CallEventBody, { minItems: 1, maxItems: 1000 }) }, strict);

export interface CallEventRoutesOptions {
  ingest: (event: CallEvent) => void;
}

export const callEventRoutes: FastifyPluginAsyncTypebox<CallEventRoutesOptions> = async (app, opts) => {
  app.post(
    '/call-events',
    {
      schema: {
        tags: ['calls'],
        summary: 'Send call events (the HTTP link)',
        security: bearer,
        body: Body,
        response: { ...commonErrors, 202: T.Object({ accepted: T.Integer() }) },
      },
    },
    async (request, reply) => {
      const now = Date.now();
      for (const e of request.body.events) opts.ingest(toEvent(e, now));
      return reply.code(202).send({ accepted: request.body.events.length });
    },
  );
};

function toEvent(e: Static<typeof CallEventBody>, now: number): CallEvent {
  return { ...e, link: e.link ?? 'http', at: e.at ?? now } as CallEvent;
}
