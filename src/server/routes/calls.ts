/** GET /api/v1/calls: the calls in progress, as the tracker sees them. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearer, CallList, commonErrors } from '../schemas.js';

export interface CallRoutesOptions {
  liveCalls: () => unknown[];
}

export const callRoutes: FastifyPluginAsyncTypebox<CallRoutesOptions> = async (app, opts) => {
  app.get(
    '/calls',
    {
      schema: {
        tags: ['calls'],
        summary: 'Live calls',
        security: bearer,
        response: { ...commonErrors, 200: CallList },
      },
    },
    async () => ({ items: opts.liveCalls() }),
  );
};
