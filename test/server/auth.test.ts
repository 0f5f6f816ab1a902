import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, type Harness, OTHER_TOKEN, startHarness, TOKEN } from './harness.js';

const SOME_ID = '3f1e2d4c-0000-4000-8000-000000000000';

/** Every API route, read from the OpenAPI document so that a new route cannot be forgotten. */
async function apiRoutes(h: Harness): Promise<Array<{ method: string; url: string }>> {
  const doc = (await h.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => ({ method: m.toUpperCase(), url: path.replace('{id}', SOME_ID) })),
    );
}

function bodyFor(method: string, url: string) {
  if (method !== 'POST' && method !== 'PUT') return {};
  if (url.endsWith('/import'))
    return { payload: 'id,name,phones\nx1,Léa,0612345678\n', headers: { 'content-type': 'text/csv' } };
  return { payload: { name: 'Léa', phones: [{ number: '0612345678' }] } };
}

describe('HTTP server: bearer-token authentication of /api/v1', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses every API route without a valid token, before reading the request', async () => {
    const routes = await apiRoutes(h);
    expect(routes.map((r) => `${r.method} ${r.url.replace(SOME_ID, ':id')}`).sort()).toEqual([
      'DELETE /api/v1/customers/:id',
      'GET /api/v1/calls',
      'GET /api/v1/campaigns',
      'GET /api/v1/customers',
      'GET /api/v1/customers/:id',
      'GET /api/v1/customers/lookup',
      'POST /api/v1/call-events',
      'POST /api/v1/customers',
      'POST /api/v1/customers/:id/interactions',
      'POST /api/v1/customers/:id/purchases',
      'POST /api/v1/customers/import',
      'PUT /api/v1/customers/:id',
    ]);
    const wrong: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${TOKEN.replace(/.$/, 'X')}` }, // same length
      { authorization: `Bearer ${TOKEN}extra` },
      { authorization: 'Bearer' },
      { authorization: `Basic ${Buffer.from(`crm:${TOKEN}`).toString('base64')}` },
      { authorization: TOKEN },
    ];
    for (const { method, url } of routes) {
      for (const auth of wrong) {
        const { payload, headers } = bodyFor(method, url);
        const res = await h.inject({
          method: method as 'GET',
          url: url.endsWith('/lookup') ? `${url}?number=0612345678` : url,
          headers: { ...headers, ...auth },
          ...(payload === undefined ? {} : { payload }),
        });
        expect(res.statusCode, `${method} ${url} with ${JSON.stringify(auth)}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="relais"/);
        expect(res.json().error.code).toBe('RELAIS_ERR_UNAUTHORIZED');
      }
    }
    const n = await h.directory.list(undefined, 10);
    expect(n.items).toHaveLength(0); // nothing written
  });

  it('says whether the token was missing or wrong', async () => {
    const none = await h.inject({ method: 'GET', url: '/api/v1/calls' });
    expect(none.headers['www-authenticate']).toBe('Bearer realm="relais"');
    expect(none.json()).toEqual({
      error: { code: 'RELAIS_ERR_UNAUTHORIZED', message: 'a bearer token is required' },
    });
    const bad = await h.inject({
      method: 'GET',
      url: '/api/v1/calls',
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.headers['www-authenticate']).toBe('Bearer realm="relais", error="invalid_token"');
    expect(bad.json().error.message).toBe('the bearer token is not valid');
  });

  it('accepts each configured token and logs its name, never the token nor the number looked up', async () => {
    h.logs.length = 0;
    const a = await h.inject({ method: 'GET', url: '/api/v1/calls', headers: AUTH });
    expect(a.statusCode).toBe(200);
    expect(a.json().items).toHaveLength(1);
    const b = await h.inject({
      method: 'GET',
      url: '/api/v1/customers/lookup?number=0612345678',
      headers: { authorization: `bearer ${OTHER_TOKEN}` },
    });
    expect(b.statusCode).toBe(200);
    const completed = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => l.apiToken)).toEqual(['crm', 'backoffice']);
    const all = h.logs.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(OTHER_TOKEN);
    expect(all.toLowerCase()).not.toContain('authorization');
    expect(all).not.toContain('0612345678');
    expect(all).toContain('/api/v1/customers/lookup?number=***');
  });
});
