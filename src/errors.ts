/**
 * Every error Relais raises on purpose has a stable code (`RELAIS_ERR_…`), documented in
 * docs/errors.md; a test checks that each code below is documented there.
 */
export const ERROR_CODES = {
  RELAIS_ERR_CONFIG_INVALID: 'The configuration file or environment has a bad key or value.',
  RELAIS_ERR_CONFIG_READ: 'The configuration file could not be read or parsed.',
  RELAIS_ERR_STORE: 'The database could not be reached or refused an operation.',
  RELAIS_ERR_MIGRATION: 'A database migration failed.',
  RELAIS_ERR_NOT_FOUND: 'The requested object does not exist.',
  RELAIS_ERR_CONFLICT: 'The object conflicts with an existing one (duplicate key).',
  RELAIS_ERR_VALIDATION: 'A request body, query or file line is not valid.',
  RELAIS_ERR_UNAUTHORIZED: 'The request carries no valid credentials.',
  RELAIS_ERR_CSV: 'A CSV file could not be read.',
  RELAIS_ERR_USAGE: 'A command was called with bad arguments.',
  RELAIS_ERR_SHUTDOWN: 'The operation was refused because Relais is shutting down.',
  RELAIS_ERR_LINK_TIMEOUT: 'A PBX did not answer a request in time.',
  RELAIS_ERR_LINK_BUSY: 'A PBX link has too many requests in flight.',
  RELAIS_ERR_LINK_DOWN: 'The PBX link is not connected.',
  RELAIS_ERR_ROUTING_PLAN: 'The routing plan has a bad rule, queue, agent, calendar or IVR menu.',
  RELAIS_ERR_INTERNAL: 'An unexpected failure; details are logged, never returned.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class RelaisError extends Error {
  readonly code: ErrorCode;
  /** Extra facts for the person who reads the error (bad key, line number, field). */
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RelaisError';
    this.code = code;
    this.details = options?.details;
  }
}

export function isRelaisError(e: unknown, code?: ErrorCode): e is RelaisError {
  return e instanceof RelaisError && (code === undefined || e.code === code);
}
