import { createReadStream, existsSync } from 'node:fs';
import { importCustomersCsv } from '../customers/csv-import.js';
import { RelaisError } from '../errors.js';
import { openAndMigrate } from '../store/open.js';
import { buildDirectory, buildNormaliser } from '../wiring.js';
import { parseCommand } from './options.js';
import { COMMON_OPTIONS, type Command } from './usage.js';

/** Exit code when the file was imported but some lines were refused. */
export const EXIT_PARTIAL = 3;

export const customersCommand: Command = {
  help: `Usage: relais customers import FILE.csv [options]

Imports customers from a CSV file (columns: id, name, phones, tier, language, email,
consent.<purpose>, attr.<key>; see README). Customers are keyed by id: importing the same
file again updates them. Bad lines are reported with their line number and skipped.
Exit status: 0 all lines imported, 3 some lines refused (the others are imported), 1 error.

With the embedded database, stop "relais start" first (it owns the database), or send the
file to the running server: POST /api/v1/customers/import.

Options:
${COMMON_OPTIONS}  --batch-size N    customers per transaction (default 500)
`,
  async run(args) {
    const { config, positionals, values } = parseCommand(args, { 'batch-size': { type: 'string' } });
    const [sub, file, ...more] = positionals;
    if (sub !== 'import' || file === undefined || more.length > 0) {
      throw new RelaisError('RELAIS_ERR_USAGE', 'usage: relais customers import FILE.csv');
    }
    if (!existsSync(file)) throw new RelaisError('RELAIS_ERR_USAGE', `no such file: ${file}`);
    const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RelaisError(
        'RELAIS_ERR_USAGE',
        `--batch-size expects a positive integer (got "${values['batch-size']}")`,
      );
    }
    const { db } = await openAndMigrate(config);
    try {
      const dir = buildDirectory(config, db, buildNormaliser(config));
      let last = Date.now();
      const report = await importCustomersCsv(createReadStream(file), dir, {
        batchSize,
        onBatch: (r) => {
          if (Date.now() - last < 250) return;
          last = Date.now();
          process.stderr.write(
            `… ${r.lines} lines read, ${r.inserted} new, ${r.updated} updated, ${r.failedCount} refused\n`,
          );
        },
      });
      for (const f of report.failed) process.stderr.write(`${file}:${f.line}: ${f.message}\n`);
      if (report.failedCount > report.failed.length) {
        process.stderr.write(`… and ${report.failedCount - report.failed.length} more refused lines\n`);
      }
      process.stdout.write(
        `${file}: ${report.lines} lines, ${report.inserted} new, ${report.updated} updated, ${report.failedCount} refused\n`,
      );
      return report.failedCount > 0 ? EXIT_PARTIAL : 0;
    } finally {
      await db.close();
    }
  },
};
