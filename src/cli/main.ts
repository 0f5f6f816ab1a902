#!/usr/bin/env node
/** The `relais` command. Each subcommand has --help; errors are one line a person can act on. */
import { isRelaisError, RelaisError } from '../errors.js';
import { VERSION } from '../version.js';
import { customersCommand } from './customers.js';
import { demoCommand } from './demo.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';
import { startCommand } from './start.js';
import { type Command, USAGE } from './usage.js';

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  demo: demoCommand,
  migrate: migrateCommand,
  customers: customersCommand,
  simulate: simulateCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    process.stdout.write(topic && COMMANDS[topic] ? COMMANDS[topic].help : USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`relais ${VERSION}\n`);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) throw new RelaisError('RELAIS_ERR_USAGE', `unknown command "${name}"; try: relais --help`);
  // `simulate csta --help` is answered by the simulator itself.
  if ((rest.includes('--help') || rest.includes('-h')) && name !== 'simulate') {
    process.stdout.write(cmd.help);
    return 0;
  }
  return cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`relais: ${describe(err)}\n`);
    process.exitCode = isRelaisError(err, 'RELAIS_ERR_USAGE') || isArgsError(err) ? 2 : 1;
  },
);

function describe(err: unknown): string {
  if (isRelaisError(err)) return `${err.message} [${err.code}]`;
  if (isArgsError(err)) return `${err.message}; try --help`;
  return err instanceof Error ? err.message : String(err);
}

/** node:util parseArgs errors (unknown option, missing value) are usage errors. */
function isArgsError(err: unknown): err is Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
