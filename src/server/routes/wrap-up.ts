/** POST /api/v1/calls/{id}/wrap-up: the agent's disposition and note after a call. */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import type { CustomerDirectory } from '../../customers/directory.js';
import { RelaisError } from '../../errors.js';
import { recordedCall, saveWrapUp } from '../../history/wrap-ups.js';
import type { Call } from '../../model/call.js';
import type { Db } from '../../store/db.js';
import { bearer, commonErrors, errorResponse } from '../schemas.js';

export interface WrapUpRoutesOptions {
  db: Db;
  directory: CustomerDirectory;
  /** A call still followed by the tracker (in progress or settling), or one that ended lately. */
  liveCall: (callId: string, link?: string) => Call | undefined;
}

const Body = T.Object(
  {
    link: T.Optional(T.String({ minLength: 1, maxLength: 64 })),
    agentId: T.Optional(T.String({ minLength: 1, maxLength: 100 })),
    disposition: T.String({
      pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
      description: 'a disposition code, e.g. sale, info, complaint',
    }),
    note: T.Optional(T.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const wrapUpRoutes: FastifyPluginAsyncTypebox<WrapUpRoutesOptions> = async (app, opts) => {
  app.post(
    '/calls/:id/wrap-up',
    {
      schema: {
        tags: ['calls'],
        summary:
          "Saves the agent's disposition and note with the call; it becomes the customer's latest interaction",
        security: bearer,
        params: T.Object({ id: T.String({ minLength: 1, maxLength: 128 }) }),
        body: Body,
        response: {
          ...commonErrors,
          404: errorResponse,
          201: T.Object({
            callId: T.String(),
            link: T.String(),
            disposition: T.String(),
            customerId: T.Optional(T.String()),
          }),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const b = request.body;
      const live = opts.liveCall(id, b.link);
      const known = live
        ? { link: live.link, customerId: live.customerId }
        : await recordedCall(opts.db, id, b.link);
      if (!known)
        throw new RelaisError('RELAIS_ERR_NOT_FOUND', `no call ${id}${b.link ? ` on link ${b.link}` : ''}`);
      const at = Date.now();
      await saveWrapUp(opts.db, {
        link: known.link,
        callId: id,
        agentId: b.agentId,
        at,
        disposition: b.disposition,
        note: b.note,
        customerId: known.customerId,
      });
      if (known.customerId !== undefined) {
        await opts.directory.addInteraction(known.customerId, {
          at,
          channel: 'phone',
          agentId: b.agentId,
          summary: b.note,
          callId: id,
          disposition: b.disposition,
        });
      }
      return reply
        .code(201)
        .send({ callId: id, link: known.link, disposition: b.disposition, customerId: known.customerId });
    },
  );
};
