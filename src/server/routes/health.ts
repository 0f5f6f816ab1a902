/**
 * GET /healthz: the process answers. GET /readyz: every readiness check (store, links, bus)
 * passes within its timeout. No token: load balancers and orchestrators call these.
 * A failing check is named with a short reason (timeout, or the Relais error code), never the
 * error's text, which could tell database or network details to whoever asks.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import { isRelaisError } from '../../errors.js';

export interface HealthOptions {
  readiness: Record<string, () => Promise<void>>;
  /** Per check, default 2000 ms. */
  timeoutMs: number;
}

const Health = T.Object({ status: T.Literal('ok') });
const Ready = T.Object({
  status: T.Union([T.Literal('ready'), T.Literal('not_ready')]),
  checks: T.Record(T.String(), T.String(), { description: '"ok" or a short reason per check.' }),
  failed: T.Optional(T.Array(T.String(), { description: 'Names of the failing checks.' })),
});

class Timeout extends Error {}

async function runCheck(check: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const healthRoutes: FastifyPluginAsyncTypebox<HealthOptions> = async (app, opts) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: store, links and bus reachable',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (request, reply) => {
      const entries = await Promise.all(
        Object.entries(opts.readiness).map(async ([name, check]): Promise<[string, string]> => {
          try {
            await runCheck(check, opts.timeoutMs);
            return [name, 'ok'];
          } catch (e) {
            const reason =
              e instanceof Timeout
                ? `timed out after ${opts.timeoutMs} ms`
                : isRelaisError(e)
                  ? `failed: ${e.code}`
                  : 'failed';
            request.log.warn({ err: e, check: name }, `readiness check ${name} ${reason}`);
            return [name, reason];
          }
        }),
      );
      const failed = entries.filter(([, r]) => r !== 'ok').map(([n]) => n);
      const checks = Object.fromEntries(entries);
      if (failed.length === 0) return { status: 'ready' as const, checks };
      return reply.code(503).send({ status: 'not_ready' as const, checks, failed });
    },
  );
};
