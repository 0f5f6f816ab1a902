/**
 * Every error the API answers has one shape: `{error: {code, message, fields?}}`.
 * Relais errors keep their code; request validation becomes RELAIS_ERR_VALIDATION with the fields
 * named; anything else is RELAIS_ERR_INTERNAL with a fixed message, so that no database or library
 * text ever reaches a client (the real error goes to the log).
 */
import { ERROR_CODES, type ErrorCode, isRelaisError } from '../errors.js';

/** Every code the API answers is a Relais error code (src/errors.ts). */
export type HttpErrorCode = ErrorCode;

export interface FieldError {
  field: string;
  message: string;
}

export interface ErrorBody {
  error: { code: HttpErrorCode; message: string; fields?: FieldError[] };
}

export interface HttpError {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** True for failures of the server (5xx): log the cause. */
  serverFault: boolean;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  RELAIS_ERR_NOT_FOUND: 404,
  RELAIS_ERR_CONFLICT: 409,
  RELAIS_ERR_VALIDATION: 400,
  RELAIS_ERR_UNAUTHORIZED: 401,
  RELAIS_ERR_CSV: 400,
  RELAIS_ERR_ROUTING_PLAN: 422,
  RELAIS_ERR_SHUTDOWN: 503,
  RELAIS_ERR_STORE: 503,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code] ?? 500;
}

export function errorBody(code: HttpErrorCode, message: string, fields?: FieldError[]): ErrorBody {
  return { error: fields && fields.length > 0 ? { code, message, fields } : { code, message } };
}

const INTERNAL: HttpError = {
  status: 500,
  body: errorBody('RELAIS_ERR_INTERNAL', 'internal error'),
  serverFault: true,
};

interface ValidationItem {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  validation?: ValidationItem[];
  validationContext?: string;
}

export function toHttpError(err: unknown): HttpError {
  if (isRelaisError(err)) {
    const status = statusOf(err.code);
    const headers: Record<string, string> = {};
    if (status === 401) headers['www-authenticate'] = authenticateHeader(err.details);
    if (status === 503) headers['retry-after'] = '5';
    // 5xx: the message may name internals; the code's documented meaning says enough.
    const message = status >= 500 ? ERROR_CODES[err.code] : err.message;
    return {
      status,
      body: errorBody(err.code, message, problemsOf(err.details)),
      headers,
      serverFault: status >= 500,
    };
  }
  const e = (err ?? {}) as FrameworkError;
  if (Array.isArray(e.validation)) return validationError(e.validation, e.validationContext ?? 'request');
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, body too large, unsupported media type): fixed texts.
    const message =
      err instanceof SyntaxError
        ? 'the request body is not valid JSON'
        : typeof e.code === 'string' && e.code.startsWith('FST_') && err instanceof Error
          ? err.message
          : 'bad request';
    return { status, body: errorBody('RELAIS_ERR_VALIDATION', message), serverFault: false };
  }
  return INTERNAL;
}

function validationError(items: ValidationItem[], context: string): HttpError {
  const fields: FieldError[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const field = fieldName(item, context);
    if (seen.has(field)) continue; // one problem per field: the first is the telling one
    seen.add(field);
    fields.push({ field, message: item.message ?? 'is not valid' });
  }
  const what = context === 'querystring' ? 'query string' : context;
  const message = `the ${what} is not valid: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`;
  return { status: 400, body: errorBody('RELAIS_ERR_VALIDATION', message, fields), serverFault: false };
}

/** `/phones/0/number` → `phones[0].number`; the part itself (`body`) when the whole is wrong. */
export function fieldName(item: ValidationItem, context: string): string {
  const segments = (item.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // Ajv names a missing or extra property in params rather than in the path.
  const extra = item.params?.missingProperty ?? item.params?.additionalProperty;
  if (typeof extra === 'string') segments.push(extra);
  let out = '';
  for (const s of segments) out += /^\d+$/.test(s) ? `[${s}]` : out === '' ? s : `.${s}`;
  return out === '' ? context : out;
}

function problemsOf(details: Record<string, unknown> | undefined): FieldError[] | undefined {
  const problems = details?.problems;
  if (!Array.isArray(problems)) return undefined;
  return problems
    .filter((p): p is FieldError => typeof p?.field === 'string' && typeof p?.message === 'string')
    .map((p) => ({ field: p.field, message: p.message }));
}

function authenticateHeader(details: Record<string, unknown> | undefined): string {
  return details?.presented === true
    ? 'Bearer realm="relais", error="invalid_token"'
    : 'Bearer realm="relais"';
}
