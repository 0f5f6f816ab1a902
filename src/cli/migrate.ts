import { openAndMigrate, redactUrl } from '../store/open.js';
import { parseCommand } from './options.js';
import { COMMON_OPTIONS, type Command } from './usage.js';

export const migrateCommand: Command = {
  help: `Usage: relais migrate [options]

Applies the database migrations that are not yet applied (idempotent; relais start does it too).

Options:
${COMMON_OPTIONS}`,
  async run(args) {
    const { config } = parseCommand(args);
    const { db, report } = await openAndMigrate(config);
    await db.close();
    const where = config.database.url ? redactUrl(config.database.url) : `${config.dataDir} (embedded)`;
    const applied = report.applied.map((m) => `${m.id} ${m.name}`).join(', ');
    process.stdout.write(
      `${where}: schema at version ${report.current}; ${applied ? `applied ${applied}` : 'nothing to apply'}\n`,
    );
    return 0;
  },
};
