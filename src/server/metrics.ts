/**
 * HTTP metrics and the Prometheus endpoint.
 *
 * Labels use the route pattern (`/api/v1/customers/:id`), never the URL: no customer ids or phone
 * numbers in metrics. GET /metrics needs no token and holds no personal data, but it tells how busy
 * the contact centre is: keep it on an internal network, do not expose it publicly.
 */
import type { FastifyInstance } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

export const HTTP_DURATION = 'relais_http_request_duration_seconds';

function durationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status'> {
  // One registry may serve several servers (tests, restarts): reuse the metric it already holds.
  const existing = registry.getSingleMetric(HTTP_DURATION);
  if (existing) return existing as Histogram<'method' | 'route' | 'status'>;
  return new Histogram({
    name: HTTP_DURATION,
    help: 'Duration of HTTP requests, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
}

/** Times every request and serves GET /metrics. Call on the root instance. */
export function installMetrics(app: FastifyInstance, registry: Registry): void {
  const histogram = durationHistogram(registry);
  app.addHook('onResponse', async (request, reply) => {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (no personal data; do not expose publicly).',
        produces: ['text/plain'],
      },
    },
    async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    },
  );
}
