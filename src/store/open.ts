/** Opens the store the configuration asks for and brings its schema up to date. */
import type { Config } from '../config/schema.js';
import { RelaisError } from '../errors.js';
import type { Db } from './db.js';
import { type MigrationReport, migrate } from './migrations.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export async function openStore(config: Pick<Config, 'database' | 'dataDir'>): Promise<Db> {
  const url = config.database.url;
  try {
    return url ? await openPostgres(url, config.database.poolSize) : await openPglite(config.dataDir);
  } catch (cause) {
    if (cause instanceof RelaisError) throw cause;
    const where = url ? redactUrl(url) : `${config.dataDir}/pglite`;
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new RelaisError('RELAIS_ERR_STORE', `cannot open the database at ${where}: ${why}`, { cause });
  }
}

export async function openAndMigrate(
  config: Pick<Config, 'database' | 'dataDir'>,
): Promise<{ db: Db; report: MigrationReport }> {
  const db = await openStore(config);
  try {
    return { db, report: await migrate(db) };
  } catch (e) {
    await db.close().catch(() => {});
    throw e;
  }
}

/** A URL for logs and errors: never the password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
