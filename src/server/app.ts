/**
 * The HTTP server of Relais: health, metrics, the OpenAPI document and the API under /api/v1.
 * `buildServer` assembles it without listening; the composition root listens and, at shutdown,
 * calls `close()` (idle keep-alive connections are closed at once, requests in flight finish).
 *
 * Public (no token): /healthz, /readyz, /metrics, /openapi.json, /docs. Everything under /api/v1
 * needs `Authorization: Bearer <token>`.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CustomerDirectory } from '../customers/directory.js';
import type { CallEvent } from '../model/call.js';
import type { NormalisedNumber } from '../model/number.js';
import { bearerAuth } from './auth.js';
import { errorBody, toHttpError } from './errors.js';
import { installMetrics } from './metrics.js';
import { callEventRoutes } from './routes/call-events.js';
import { callRoutes } from './routes/calls.js';
import { customerRoutes } from './routes/customers.js';
import { type DesktopRoutesOptions, desktopRoutes } from './routes/desktop.js';
import { healthRoutes } from './routes/health.js';
import { type IvrRoutesOptions, ivrApiRoutes, ivrVxmlRoutes } from './routes/ivr.js';
import { type RoutingRoutesOptions, routingRoutes } from './routes/routing.js';
import { type WrapUpRoutesOptions, wrapUpRoutes } from './routes/wrap-up.js';
import { bearer, sharedSchemas } from './schemas.js';

export interface ServerDeps {
  /** Passed to Fastify; requests are logged without bodies, headers or query values. */
  logger: Logger;
  directory: CustomerDirectory;
  /** The directory's number normaliser (the configured number plan), for the lookup route. */
  normalise: (raw: string) => NormalisedNumber;
  /** API bearer tokens (from config `api.tokens`). */
  tokens: ReadonlyArray<{ name: string; token: string }>;
  /** The server registers its HTTP metrics into it and serves it at /metrics. */
  metrics: Registry;
  /** Readiness checks by name (store, links later); each resolves or throws. */
  readiness: Record<string, () => Promise<void>>;
  /** Live calls for GET /api/v1/calls (plain objects). */
  liveCalls: () => unknown[];
  /** Where the HTTP link hands its call events (the tracker). */
  ingest: (event: CallEvent) => void;
  /** PEM certificate and key: serve HTTPS (TLS 1.2 and 1.3 only). */
  https?: { cert: Buffer; key: Buffer };
  version: string;
  /** Routing decisions, agents, queues and plan reload, when a routing plan is configured. */
  routing?: RoutingRoutesOptions;
  /** IVR decisions (JSON under /api/v1, VoiceXML under /ivr), when a routing plan is configured. */
  ivr?: IvrRoutesOptions;
  /** Desktop WebSockets (screen pops) under /ws. */
  desktop?: DesktopRoutesOptions;
  /** DNIS → campaign table (config `campaigns`), for GET /api/v1/campaigns. */
  campaigns?: ReadonlyArray<{ id: string; name: string; dnis: readonly string[] }>;
  /** Wrap-ups of calls (needs the store). */
  wrapUp?: WrapUpRoutesOptions;
  /** Per readiness check; default 2000 ms. */
  readinessTimeoutMs?: number;
}

export const CSV_BODY_LIMIT = 50 * 1024 * 1024;
export const API_PREFIX = '/api/v1';

/** Query values may be phone numbers: the log keeps the keys only. */
export function maskQuery(url: string): string {
  return url.replace(/([?&][^=&#]*)=[^&#]*/g, '$1=***');
}

const serializers = {
  req: (req: FastifyRequest) => ({ method: req.method, url: maskQuery(req.url), remoteAddress: req.ip }),
  res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
};

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const logger = deps.logger.child(
    {},
    { serializers, redact: ['req.headers.authorization', 'headers.authorization', 'authorization'] },
  );
  const app = Fastify({
    ...(deps.https ? { https: { ...deps.https, minVersion: 'TLSv1.2' as const } } : {}),
    loggerInstance: logger as FastifyBaseLogger,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
  });

  app.setErrorHandler((error, request, reply) => {
    const http = toHttpError(error);
    if (http.serverFault) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: http.body.error.code, status: http.status }, 'request refused');
    return reply
      .code(http.status)
      .headers(http.headers ?? {})
      .send(http.body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody('RELAIS_ERR_NOT_FOUND', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );

  for (const schema of sharedSchemas) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Relais API',
        version: deps.version,
        description: 'Customer directory and live calls of Relais. Send `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    // Shared schemas appear under their $id (Customer, Error) in components.schemas.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  installMetrics(app, deps.metrics);
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(healthRoutes, {
    readiness: deps.readiness,
    timeoutMs: deps.readinessTimeoutMs ?? 2000,
  });

  if (deps.tokens.length === 0)
    app.log.warn('no API token configured (api.tokens): every request to /api/v1 is refused');
  await app.register(
    async (api) => {
      api.setValidatorCompiler(TypeBoxValidatorCompiler);
      api.addHook('onRequest', bearerAuth(deps.tokens));
      api.addContentTypeParser(
        'text/csv',
        { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT },
        (_request, body, done) => done(null, body),
      );
      await api.register(customerRoutes, { directory: deps.directory, normalise: deps.normalise });
      await api.register(callRoutes, { liveCalls: deps.liveCalls });
      await api.register(callEventRoutes, { ingest: deps.ingest });
      if (deps.routing) await api.register(routingRoutes, deps.routing);
      if (deps.ivr) await api.register(ivrApiRoutes, deps.ivr);
      if (deps.wrapUp) await api.register(wrapUpRoutes, deps.wrapUp);
      const campaigns = deps.campaigns ?? [];
      api.get(
        '/campaigns',
        {
          schema: {
            tags: ['calls'],
            summary: 'Campaigns and services by dialled number (DNIS), from the configuration',
            security: bearer,
          },
        },
        async () => ({ items: campaigns }),
      );
    },
    { prefix: API_PREFIX },
  );
  // The desktop and wallboard pages (built by `npm run build` into dist/web). Public files: the
  // token is typed into the page, and every call they make is authorised like any other.
  const web = fileURLToPath(new URL('../../dist/web/', import.meta.url));
  if (existsSync(web)) {
    await app.register(fastifyStatic, { root: web, prefix: '/app/' });
    // The query (token, agent, device) goes along.
    const query = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');
    app.get('/desktop', { schema: { hide: true } }, (req, reply) =>
      reply.redirect(`/app/desktop.html${query(req.url)}`),
    );
    app.get('/wallboard', { schema: { hide: true } }, (req, reply) =>
      reply.redirect(`/app/wallboard.html${query(req.url)}`),
    );
  } else app.log.warn({ web }, 'desktop pages not built (npm run build): /desktop is not served');
  const desktop = deps.desktop;
  if (desktop) {
    await app.register(websocket, { options: { maxPayload: 64 * 1024 } });
    await app.register(
      async (ws) => {
        ws.setValidatorCompiler(TypeBoxValidatorCompiler);
        ws.addHook('onRequest', bearerAuth(deps.tokens, { queryToken: true }));
        await ws.register(desktopRoutes, desktop);
      },
      { prefix: '/ws' },
    );
  }
  const ivr = deps.ivr;
  if (ivr) {
    await app.register(
      async (vx) => {
        vx.setValidatorCompiler(TypeBoxValidatorCompiler);
        vx.addHook('onRequest', bearerAuth(deps.tokens, { queryToken: true }));
        await vx.register(ivrVxmlRoutes, ivr);
      },
      { prefix: '/ivr' },
    );
  }
  return app;
}
