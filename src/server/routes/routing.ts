/**
 * Routing over the API: why a call went where it went, agents and their states, queues, and a
 * reload of the routing plan. Registered only when a routing plan is configured.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type as T } from '@sinclair/typebox';
import type { AgentView, Distributor } from '../../acd/distributor.js';
import { RelaisError } from '../../errors.js';
import type { DecisionTrace } from '../../routing/types.js';
import { bearer, commonErrors, errorResponse } from '../schemas.js';

export interface RoutingRoutesOptions {
  decision: (callId: string, link?: string) => Promise<DecisionTrace | undefined>;
  distributor: Distributor;
  /** Reads the plan file again; throws RELAIS_ERR_ROUTING_PLAN and keeps the running plan when refused. */
  reload: () => Promise<{ rules: number; queues: number; agents: number }>;
  planText: () => string;
  replacePlan: (text: string) => Promise<{ rules: number; queues: number; agents: number }>;
}

const AgentId = T.Object({ id: T.String({ minLength: 1, maxLength: 100 }) });
const Agent = T.Object({
  id: T.String(),
  name: T.Optional(T.String()),
  state: T.String(),
  since: T.String({ format: 'date-time' }),
  device: T.Optional(T.String()),
  skills: T.Record(T.String(), T.Integer()),
  callId: T.Optional(T.String()),
  reason: T.Optional(T.String()),
});
const iso = (ms: number) => new Date(ms).toISOString();
const toApi = (a: AgentView) => ({ ...a, since: iso(a.since) });
const withErrors = <R extends object>(r: R) => ({ ...commonErrors, 404: errorResponse, ...r });

/** The distributor throws plain errors for unknown agents or states it refuses. */
function agentCall<R>(fn: () => R): R {
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.startsWith('unknown agent')) throw new RelaisError('RELAIS_ERR_NOT_FOUND', message);
    throw new RelaisError('RELAIS_ERR_VALIDATION', message);
  }
}

export const routingRoutes: FastifyPluginAsyncTypebox<RoutingRoutesOptions> = async (app, opts) => {
  const { distributor } = opts;
  app.get(
    '/calls/:id/decision',
    {
      schema: {
        tags: ['routing'],
        summary: 'Why this call went where it went: the rule, the conditions tested, the agents considered',
        security: bearer,
        params: AgentId,
        querystring: T.Object({ link: T.Optional(T.String({ minLength: 1 })) }),
        response: withErrors({ 200: T.Unknown() }),
      },
    },
    async (request) => {
      const trace = await opts.decision(request.params.id, request.query.link);
      if (!trace)
        throw new RelaisError('RELAIS_ERR_NOT_FOUND', `no routing decision for call ${request.params.id}`);
      return {
        ...trace,
        decidedAt: iso(trace.decidedAt),
        steps: trace.steps.map((s) => ({ ...s, at: iso(s.at) })),
      };
    },
  );

  app.get(
    '/agents',
    {
      schema: {
        tags: ['routing'],
        summary: 'Agents and their states',
        security: bearer,
        response: withErrors({ 200: T.Object({ items: T.Array(Agent) }) }),
      },
    },
    async () => ({ items: distributor.agents().map(toApi) }),
  );

  app.post(
    '/agents/:id/login',
    {
      schema: {
        tags: ['routing'],
        summary: 'Log an agent in at a device (available)',
        security: bearer,
        params: AgentId,
        body: T.Object(
          { device: T.Optional(T.String({ pattern: '^[0-9A-Za-z*#+]{1,32}$' })) },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Agent }),
      },
    },
    async (request) => toApi(agentCall(() => distributor.login(request.params.id, request.body.device))),
  );

  app.post(
    '/agents/:id/logout',
    {
      schema: {
        tags: ['routing'],
        summary: 'Log an agent off',
        security: bearer,
        params: AgentId,
        response: withErrors({ 200: Agent }),
      },
    },
    async (request) => toApi(agentCall(() => distributor.logout(request.params.id))),
  );

  app.put(
    '/agents/:id/state',
    {
      schema: {
        tags: ['routing'],
        summary: 'Set an agent available, away (with a reason) or in wrap-up',
        security: bearer,
        params: AgentId,
        body: T.Object(
          {
            state: T.Union([T.Literal('available'), T.Literal('away'), T.Literal('wrap_up')]),
            reason: T.Optional(T.String({ minLength: 1, maxLength: 100 })),
          },
          { additionalProperties: false },
        ),
        response: withErrors({ 200: Agent }),
      },
    },
    async (request) =>
      toApi(
        agentCall(() => distributor.setState(request.params.id, request.body.state, request.body.reason)),
      ),
  );

  app.get(
    '/queues',
    {
      schema: {
        tags: ['routing'],
        summary: 'Calls waiting per queue and agents by state',
        security: bearer,
        response: withErrors({ 200: T.Unknown() }),
      },
    },
    async () => distributor.stats(),
  );

  // The plan travels as YAML (JSON is YAML too); the parsers live in this plugin only.
  app.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml'],
    { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 },
    (_request, body, done) => done(null, body),
  );
  const Summary = T.Object({ rules: T.Integer(), queues: T.Integer(), agents: T.Integer() });
  app.get(
    '/routing/plan',
    {
      schema: {
        tags: ['routing'],
        summary: 'The routing plan file (YAML): queues, agents, calendars, rules, IVR',
        security: bearer,
        response: withErrors({ 200: T.String() }),
      },
    },
    async (_request, reply) => reply.type('application/yaml; charset=utf-8').send(opts.planText()),
  );
  app.put(
    '/routing/plan',
    {
      schema: {
        tags: ['routing'],
        summary:
          'Replace the routing plan: checked whole, written to the plan file and applied; refused with its lines (422)',
        security: bearer,
        body: T.Union([T.String({ minLength: 1 }), T.Object({}, { additionalProperties: true })]),
        response: withErrors({ 200: Summary }),
      },
    },
    async (request) => {
      const body = request.body;
      const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
      return opts.replacePlan(text);
    },
  );

  app.post(
    '/routing/reload',
    {
      schema: {
        tags: ['routing'],
        summary: 'Read the routing plan file again; a refused plan leaves the running one in force',
        security: bearer,
        response: withErrors({
          200: T.Object({ rules: T.Integer(), queues: T.Integer(), agents: T.Integer() }),
        }),
      },
    },
    async () => opts.reload(),
  );
};
