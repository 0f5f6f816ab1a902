import { parseArgs } from 'node:util';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { RelaisError } from '../errors.js';

const COMMON = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  'http-port': { type: 'string' },
} as const;

export interface Parsed {
  config: Config;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

/** Parses the common options plus `extra`, and loads the configuration they point at. */
export function parseCommand(
  args: string[],
  extra: Record<string, { type: 'string' | 'boolean' }> = {},
): Parsed {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON, ...extra },
    allowPositionals: true,
    strict: true,
  });
  const port = values['http-port'];
  if (port !== undefined && !/^[0-9]{1,5}$/.test(String(port))) {
    throw new RelaisError('RELAIS_ERR_USAGE', `--http-port expects a port number (got "${port}")`);
  }
  const { config } = loadConfig({
    configPath: values.config as string | undefined,
    dataDir: values['data-dir'] as string | undefined,
    httpPort: port === undefined ? undefined : Number(port),
  });
  return { config, positionals, values: values as Parsed['values'] };
}
