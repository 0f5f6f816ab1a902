/**
 * The one module that reads the environment and the configuration file.
 * Everything else receives a validated `Config`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { RelaisError } from '../errors.js';
import { type Config, ConfigSchema } from './schema.js';

export interface LoadOptions {
  /** `--config PATH`; else `RELAIS_CONFIG`; else `relais.config.{json,yaml,yml}` in the working directory. */
  configPath?: string;
  /** Command-line overrides, applied last. */
  dataDir?: string;
  httpPort?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const DEFAULT_NAMES = ['relais.config.json', 'relais.config.yaml', 'relais.config.yml'];

export interface LoadedConfig {
  config: Config;
  /** The file read, if any. */
  source: string | undefined;
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const source = findConfigFile(opts.configPath ?? env.RELAIS_CONFIG, cwd);
  const raw = source === undefined ? {} : readConfigFile(source);
  applyEnvironment(raw, env);
  if (opts.dataDir !== undefined) set(raw, ['dataDir'], opts.dataDir);
  if (opts.httpPort !== undefined) set(raw, ['http', 'port'], opts.httpPort);
  const config = validateConfig(raw, source ?? 'defaults');
  // A relative data directory is relative to the config file, so a service manager's cwd does not matter.
  const base = source === undefined ? cwd : path.dirname(source);
  config.dataDir = path.resolve(base, config.dataDir);
  if (config.routing.plan !== undefined) config.routing.plan = path.resolve(base, config.routing.plan);
  return { config, source };
}

function findConfigFile(explicit: string | undefined, cwd: string): string | undefined {
  if (explicit !== undefined && explicit !== '') {
    const p = path.resolve(cwd, explicit);
    if (!existsSync(p)) throw new RelaisError('RELAIS_ERR_CONFIG_READ', `configuration file not found: ${p}`);
    return p;
  }
  for (const name of DEFAULT_NAMES) {
    const p = path.join(cwd, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RelaisError('RELAIS_ERR_CONFIG_READ', `cannot read configuration file ${file}`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_READ',
      `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${why}`,
      {
        cause,
      },
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `${file}: the configuration must be an object of keys`,
    );
  }
  return parsed as Record<string, unknown>;
}

/** Secrets and deployment settings come from the environment, over the file. */
function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): void {
  if (env.DATABASE_URL) set(raw, ['database', 'url'], env.DATABASE_URL);
  if (env.RELAIS_DATA_DIR) set(raw, ['dataDir'], env.RELAIS_DATA_DIR);
  if (env.RELAIS_HTTP_PORT) set(raw, ['http', 'port'], envInteger(env.RELAIS_HTTP_PORT));
  if (env.RELAIS_HTTP_HOST) set(raw, ['http', 'host'], env.RELAIS_HTTP_HOST);
  if (env.RELAIS_LOG_LEVEL) set(raw, ['log', 'level'], env.RELAIS_LOG_LEVEL);
  // A webhook secret in the environment applies to every webhook that has none in the file.
  if (env.RELAIS_WEBHOOK_SECRET) {
    const desktop = (raw.desktop ?? {}) as Record<string, unknown>;
    if (Array.isArray(desktop.webhooks)) {
      set(
        raw,
        ['desktop', 'webhooks'],
        desktop.webhooks.map((w) =>
          typeof w === 'object' && w !== null && !('secret' in w)
            ? { ...w, secret: env.RELAIS_WEBHOOK_SECRET }
            : w,
        ),
      );
    }
  }
  if (env.RELAIS_API_TOKEN) {
    const api = (raw.api ?? {}) as Record<string, unknown>;
    const tokens = Array.isArray(api.tokens) ? api.tokens : [];
    set(raw, ['api', 'tokens'], [...tokens, { name: 'env', token: env.RELAIS_API_TOKEN }]);
  }
}

function envInteger(value: string): number | string {
  return /^[0-9]+$/.test(value) ? Number(value) : value; // left as a string, the schema names the variable's key
}

function set(obj: Record<string, unknown>, keys: string[], value: unknown): void {
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    const next = cur[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] as string] = value;
}

/** Fill defaults, then check; every problem is reported with its key in dotted form. */
export function validateConfig(raw: unknown, source = 'configuration'): Config {
  const value = Value.Default(ConfigSchema, Value.Clone(raw));
  const problems = [...Value.Errors(ConfigSchema, value)]
    // A union reports each branch; the first error per key is the useful one.
    .filter((e, i, all) => all.findIndex((o) => o.path === e.path) === i)
    .map((e) => `${keyOf(e.path)}: ${explain(e.schema, e.message)}${describeValue(e.value)}`);
  if (problems.length === 0) problems.push(...crossChecks(value as Config));
  if (problems.length > 0) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `invalid configuration (${source}):\n  ${problems.join('\n  ')}`,
      {
        details: { problems },
      },
    );
  }
  return value as Config;
}

/** Rules that span several keys, which a schema cannot say. */
function crossChecks(config: Config): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  config.links.csta.forEach((link, i) => {
    const key = `links.csta[${i}]`;
    if (names.has(link.name)) problems.push(`${key}.name: another link is already named "${link.name}"`);
    names.add(link.name);
    if (link.mode === 'client' && (link.host === undefined || link.port === undefined)) {
      problems.push(`${key}: client mode needs host and port (the switch's CSTA address)`);
    }
    if (link.mode === 'server' && link.listen === undefined) {
      problems.push(`${key}: server mode needs listen.port (where the switch connects)`);
    }
    if ((link.tls?.certFile === undefined) !== (link.tls?.keyFile === undefined)) {
      problems.push(`${key}.tls: certFile and keyFile go together`);
    }
    // One way to route per deployment: the plan, or (without one) each link's routes table.
    if (
      config.routing.plan !== undefined &&
      (Object.keys(link.routing.routes).length > 0 || link.routing.default !== undefined)
    ) {
      problems.push(
        `${key}.routing: routes and default are not used when routing.plan is set; write them as rules of the plan`,
      );
    }
    if (link.mode === 'server' && link.tls && !link.tls.certFile) {
      problems.push(`${key}.tls: server mode needs certFile and keyFile`);
    }
  });
  const campaignIds = new Set<string>();
  config.campaigns.forEach((c, i) => {
    if (campaignIds.has(c.id)) problems.push(`campaigns[${i}].id: another campaign is already "${c.id}"`);
    campaignIds.add(c.id);
  });
  return problems;
}

/** TypeBox says "Expected union value"; a person wants the choices. */
function explain(schema: unknown, message: string): string {
  const anyOf = (schema as { anyOf?: Array<{ const?: unknown; type?: string }> }).anyOf;
  if (!Array.isArray(anyOf)) return message;
  const choices = anyOf.map((s) =>
    s.const !== undefined ? JSON.stringify(s.const) : `a${s.type === 'array' ? 'n' : ''} ${s.type}`,
  );
  return `Expected one of ${choices.join(', ')}`;
}

function keyOf(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^[0-9]+$/.test(p) ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
}

function describeValue(v: unknown): string {
  if (v === undefined || (typeof v === 'object' && v !== null)) return '';
  return ` (got ${JSON.stringify(v)})`;
}
