/**
 * Database errors become Relais errors here, by SQLSTATE (PostgreSQL Appendix A), never by text.
 * PGlite raises the same `code` fields as node-postgres.
 */
import { RelaisError } from '../errors.js';

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const INVALID_TEXT_REPRESENTATION = '22P02';

export function sqlState(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function toRelaisError(e: unknown, what: string): RelaisError {
  if (e instanceof RelaisError) return e;
  switch (sqlState(e)) {
    case UNIQUE_VIOLATION:
      return new RelaisError('RELAIS_ERR_CONFLICT', `${what}: already exists`, { cause: e });
    case FOREIGN_KEY_VIOLATION:
      return new RelaisError('RELAIS_ERR_NOT_FOUND', `${what}: refers to an object that does not exist`, {
        cause: e,
      });
    case INVALID_TEXT_REPRESENTATION:
      return new RelaisError('RELAIS_ERR_VALIDATION', `${what}: malformed identifier`, { cause: e });
    default:
      return new RelaisError('RELAIS_ERR_STORE', `${what}: database error`, { cause: e });
  }
}
