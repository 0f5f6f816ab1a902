import { createLogger } from '../observability.js';
import { parseCommand } from './options.js';
import { COMMON_OPTIONS, type Command } from './usage.js';

/** A shutdown that hangs (a stuck socket) must not keep the process up forever. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

export const startCommand: Command = {
  help: `Usage: relais start [options]

Serves the HTTP API (default 127.0.0.1:8443) and the PBX links of the configuration.
Reloads the routing plan on SIGHUP. Stops gracefully on SIGINT or SIGTERM: stops accepting, finishes requests in flight,
writes every pending call record, closes the database.

Options:
${COMMON_OPTIONS}  --http-port N     HTTP port (or RELAIS_HTTP_PORT)
`,
  async run(args) {
    const { config } = parseCommand(args);
    const logger = createLogger(config.log.level);
    // Loaded here so that the other commands do not pay for the HTTP server.
    const { createRelais } = await import('../app.js');
    const relais = await createRelais(config, logger);
    const address = await relais.listen();
    logger.info({ address }, 'relais started');
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info({ signal }, 'shutting down');
        const timer = setTimeout(() => {
          logger.error('shutdown timed out; exiting');
          process.exit(1);
        }, SHUTDOWN_TIMEOUT_MS);
        timer.unref();
        relais.close().then(resolve, (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exitCode = 1;
          resolve();
        });
      };
      // SIGHUP reads the routing plan again (a refused plan is logged and the running one kept).
      process.on('SIGHUP', () => void relais.routing?.reload().catch(() => {}));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    logger.info('relais stopped');
    return process.exitCode === 1 ? 1 : 0;
  },
};
