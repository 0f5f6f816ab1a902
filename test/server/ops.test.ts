import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RelaisError } from '../../src/errors.js';
import { AUTH, type Harness, SECRET_DB_TEXT, startHarness } from './harness.js';

describe('HTTP server: operations endpoints', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  afterEach(() => {
    h.db.failing = false;
    h.assertNoDbText();
  });

  it('answers /healthz without a token', async () => {
    const res = await h.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz ready when every check passes', async () => {
    const res = await h.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { store: 'ok' } });
  });

  it('answers /readyz 503 naming the failing check, without the error text', async () => {
    h.db.failing = true;
    const res = await h.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', checks: { store: 'failed' }, failed: ['store'] });
    expect(res.body).not.toContain('password');
    // The operator finds the real cause in the log.
    expect(h.logs.some((l) => l.includes('readiness check store') && l.includes('password'))).toBe(true);
  });

  it('times readiness checks out, and names Relais error codes', async () => {
    const slow = await startHarness({
      readinessTimeoutMs: 50,
      readiness: {
        store: async () => {},
        link: () => new Promise(() => {}),
        bus: async () => {
          throw new RelaisError('RELAIS_ERR_STORE', `bus: ${SECRET_DB_TEXT}`);
        },
      },
    });
    try {
      const res = await slow.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        status: 'not_ready',
        checks: { store: 'ok', link: 'timed out after 50 ms', bus: 'failed: RELAIS_ERR_STORE' },
        failed: ['link', 'bus'],
      });
      slow.assertNoDbText();
    } finally {
      await slow.close();
    }
  });

  it('serves Prometheus metrics with the request histogram labelled by route pattern', async () => {
    const id = '3f1e2d4c-0000-4000-8000-000000000000';
    await h.inject({ method: 'GET', url: `/api/v1/customers/${id}`, headers: AUTH });
    await h.inject({ method: 'GET', url: '/api/v1/customers/lookup?number=0612345678', headers: AUTH });
    await h.inject({ method: 'GET', url: '/no/such/0612345678' });
    const res = await h.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# TYPE relais_http_request_duration_seconds histogram');
    expect(res.body).toMatch(
      /relais_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/customers\/:id",status="404"\} 1/,
    );
    expect(res.body).toContain('route="/api/v1/customers/lookup",status="200"');
    expect(res.body).toContain('route="unmatched",status="404"');
    expect(res.body).not.toContain('/no/such');
    expect(res.body).not.toContain(id);
    expect(res.body).not.toContain('0612345678');
  });

  it('publishes the OpenAPI document with the customer routes and the bearer scheme', async () => {
    const res = await h.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.version).toBe('0.0.0-test');
    expect(doc.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/api/v1/customers',
      '/api/v1/customers/{id}',
      '/api/v1/customers/lookup',
      '/api/v1/customers/{id}/purchases',
      '/api/v1/customers/{id}/interactions',
      '/api/v1/customers/import',
      '/api/v1/calls',
    ]) {
      expect(paths).toContain(p);
    }
    expect(Object.keys(doc.paths['/api/v1/customers/{id}'])).toEqual(
      expect.arrayContaining(['get', 'put', 'delete']),
    );
    const create = doc.paths['/api/v1/customers'].post;
    expect(create.security).toEqual([{ bearerAuth: [] }]);
    expect(create.requestBody.content['application/json'].schema.required).toEqual(['name', 'phones']);
    expect(create.responses['201']).toBeDefined();
    expect(Object.keys(doc.paths['/api/v1/customers/import'].post.requestBody.content)).toEqual(['text/csv']);
    expect(doc.paths['/healthz'].get.security).toBeUndefined();
  });

  it('serves the API documentation page without a token', async () => {
    const res = await h.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });

  it('answers unknown routes with a JSON 404', async () => {
    for (const url of ['/nope', '/api/v1/nope?number=0612345678', '/api/v2/customers']) {
      const res = await h.inject({ method: 'GET', url, headers: AUTH });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({
        error: { code: 'RELAIS_ERR_NOT_FOUND', message: `no route for GET ${url.split('?')[0]}` },
      });
    }
  });

  it('closes promptly', async () => {
    const other = await startHarness();
    await other.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = other.app.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { keepalive: true });
    expect(res.status).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
