import { RelaisError } from '../errors.js';
import type { Command } from './usage.js';

export const simulateCommand: Command = {
  help: `Usage: relais simulate csta [options]

Runs the CSTA switch simulator (a fake PBX speaking ECMA-323 over TCP or TLS) for demos, tests
and benchmarks. "relais simulate csta --help" lists its options.
`,
  async run(args) {
    const [kind, ...rest] = args;
    if (kind !== 'csta') throw new RelaisError('RELAIS_ERR_USAGE', 'usage: relais simulate csta [options]');
    // Loaded here: the simulator is not part of the server.
    const { runSimulatorCli } = await import('../simulator/csta/index.js');
    return runSimulatorCli(rest);
  },
};
