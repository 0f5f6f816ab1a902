import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, validateConfig } from '../../src/config/load.js';
import { isRelaisError } from '../../src/errors.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'relais-config-'));

function problemsOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isRelaisError(e, 'RELAIS_ERR_CONFIG_INVALID') || isRelaisError(e, 'RELAIS_ERR_CONFIG_READ'))
      return e.message;
    throw e;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('works with no file at all, with documented defaults', () => {
    const cwd = tmp();
    const { config, source } = loadConfig({ cwd, env: {} });
    expect(source).toBeUndefined();
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.dataDir).toBe(path.join(cwd, 'data'));
    expect(config.database.url).toBeUndefined();
    expect(config.numbers.defaultCountry).toBe('FR');
  });

  it('reads relais.config.yaml from the working directory, data dir relative to the file', () => {
    const cwd = tmp();
    writeFileSync(
      path.join(cwd, 'relais.config.yaml'),
      'dataDir: var/relais\nhttp:\n  port: 9000\nnumbers:\n  defaultCountry: BE\n',
    );
    const { config, source } = loadConfig({ cwd, env: {} });
    expect(source).toBe(path.join(cwd, 'relais.config.yaml'));
    expect(config.http.port).toBe(9000);
    expect(config.numbers.defaultCountry).toBe('BE');
    expect(config.dataDir).toBe(path.join(cwd, 'var/relais'));
  });

  it('takes the webhook secret from the environment for webhooks without one', () => {
    const cwd = tmp();
    writeFileSync(
      path.join(cwd, 'relais.config.yaml'),
      'desktop:\n  webhooks:\n    - { url: "https://crm.example/a" }\n    - { url: "https://crm.example/b", secret: "own-secret-0123456789" }\n',
    );
    const { config } = loadConfig({ cwd, env: { RELAIS_WEBHOOK_SECRET: 'from-the-environment-42' } });
    expect(config.desktop.webhooks.map((w) => w.secret)).toEqual([
      'from-the-environment-42',
      'own-secret-0123456789',
    ]);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/desktop\.webhooks\[0\]\.secret/);
  });

  it('finds the routing plan relative to the file, and refuses link routes beside a plan', () => {
    const cwd = tmp();
    writeFileSync(path.join(cwd, 'relais.config.yaml'), 'routing: { plan: plans/routing.yaml }\n');
    expect(loadConfig({ cwd, env: {} }).config.routing.plan).toBe(path.join(cwd, 'plans/routing.yaml'));
    const both = () =>
      validateConfig({
        routing: { plan: 'routing.yaml' },
        links: {
          csta: [{ name: 'pbx', host: 'pbx', port: 1040, routing: { routes: { '0800123456': '3001' } } }],
        },
      });
    expect(both).toThrow(
      /links\.csta\[0\]\.routing: routes and default are not used when routing\.plan is set/,
    );
  });

  it('takes --config, then RELAIS_CONFIG, and lets the environment and flags override the file', () => {
    const dir = tmp();
    const file = path.join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ http: { port: 9000 }, database: { url: 'postgres://file/db' } }));
    const env = {
      RELAIS_CONFIG: file,
      DATABASE_URL: 'postgres://env/db',
      RELAIS_HTTP_PORT: '9100',
      RELAIS_API_TOKEN: 'a-token-from-the-environment-0123',
    };
    const { config } = loadConfig({ cwd: tmp(), env });
    expect(config.database.url).toBe('postgres://env/db');
    expect(config.http.port).toBe(9100);
    expect(config.api.tokens).toEqual([{ name: 'env', token: env.RELAIS_API_TOKEN }]);
    expect(loadConfig({ cwd: tmp(), env, httpPort: 9200, dataDir: '/srv/relais' }).config).toMatchObject({
      http: { port: 9200 },
      dataDir: '/srv/relais',
    });
  });

  it('names every bad key and what was expected', () => {
    const msg = problemsOf(() =>
      validateConfig({
        http: { port: 'eighty', colour: 'blue' },
        numbers: { defaultCountry: 'france', regions: 'mars' },
        api: { tokens: [{ name: 'crm', token: 'short' }] },
        log: { level: 'loud' },
      }),
    );
    expect(msg).toContain('http.port: Expected integer (got "eighty")');
    expect(msg).toContain('http.colour: Unexpected property');
    expect(msg).toContain('numbers.defaultCountry:');
    expect(msg).toContain('numbers.regions: Expected one of "fr", "none", an array (got "mars")');
    expect(msg).toContain('api.tokens[0].token: Expected string length greater or equal to 24');
    expect(msg).toContain('log.level: Expected one of "fatal"');
  });

  it('names a bad environment variable value through its key', () => {
    expect(problemsOf(() => loadConfig({ cwd: tmp(), env: { RELAIS_HTTP_PORT: 'abc' } }))).toContain(
      'http.port',
    );
    expect(problemsOf(() => loadConfig({ cwd: tmp(), env: { DATABASE_URL: 'mysql://x' } }))).toContain(
      'database.url',
    );
  });

  it('reports a file that is not valid JSON or YAML, or missing, with its path', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'bad.json'), '{"http": {"port": 80,}}');
    writeFileSync(path.join(dir, 'bad.yaml'), 'http:\n  port: [unclosed\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, configPath: 'bad.json' }))).toMatch(
      /bad\.json is not valid JSON/,
    );
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, configPath: 'bad.yaml' }))).toMatch(
      /bad\.yaml is not valid YAML/,
    );
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, configPath: 'nope.yaml' }))).toMatch(/not found/);
    writeFileSync(path.join(dir, 'list.yaml'), '- a\n- b\n');
    expect(problemsOf(() => loadConfig({ cwd: dir, env: {}, configPath: 'list.yaml' }))).toMatch(
      /must be an object/,
    );
  });
});

describe('the example configuration', () => {
  it('is valid as shipped', () => {
    const file = new URL('../../relais.config.example.yaml', import.meta.url).pathname;
    const { config } = loadConfig({ configPath: file, env: {} });
    expect(config.customers.tiers).toEqual(['standard', 'vip']);
  });
});

describe('CSTA link configuration', () => {
  const link = (over: Record<string, unknown>) => ({
    links: { csta: [{ name: 'pbx', host: 'pbx', port: 1040, ...over }] },
  });

  it('fills the defaults of a minimal client link', () => {
    const c = validateConfig(link({}));
    expect(c.links.csta[0]).toMatchObject({
      mode: 'client',
      framing: 'header',
      namespace: 'ed3',
      applicationSession: false,
    });
  });

  it('names what a link lacks or gets wrong', () => {
    expect(problemsOf(() => validateConfig(link({ host: undefined })))).toContain(
      'links.csta[0]: client mode needs host and port',
    );
    expect(problemsOf(() => validateConfig(link({ mode: 'server' })))).toContain(
      'links.csta[0]: server mode needs listen.port',
    );
    expect(problemsOf(() => validateConfig(link({ framing: 'lines' })))).toContain('links.csta[0].framing');
    expect(problemsOf(() => validateConfig(link({ devices: [{ id: '2001', kind: 'phone' }] })))).toContain(
      'links.csta[0].devices[0].kind',
    );
    expect(problemsOf(() => validateConfig(link({ tls: { certFile: 'a.pem' } })))).toContain(
      'links.csta[0].tls: certFile and keyFile go together',
    );
    const two = { links: { csta: [link({}).links.csta[0], link({}).links.csta[0]] } };
    expect(problemsOf(() => validateConfig(two))).toContain('another link is already named "pbx"');
  });
});
