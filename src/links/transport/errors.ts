/**
 * Why a link could not reach or keep its peer. The reconnect loop branches on `kind`, never on the
 * message text; `cause` keeps the socket or TLS error for the log.
 */
export type TransportErrorKind =
  /** Nothing listens at the address (ECONNREFUSED). */
  | 'refused'
  /** The TCP connection or TLS handshake took longer than `connectTimeoutMs`. */
  | 'timeout'
  /** The caller's AbortSignal fired. */
  | 'aborted'
  /** The TCP connection opened but the TLS handshake failed: certificate not trusted, wrong name, … */
  | 'tls'
  /** Any other socket failure: unreachable host, DNS, reset before connecting. */
  | 'network'
  /** Every address of a failover list failed; `cause` is an AggregateError of their errors. */
  | 'all-failed'
  /** A listener could not bind its address (in use, not local, no permission). */
  | 'listen';

export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  /** What was being reached: `tcp://10.1.2.3:1040`, `tls://pbx.example.com:4061`. */
  readonly target: string;

  constructor(kind: TransportErrorKind, target: string, message: string, options?: { cause?: unknown }) {
    super(`${target}: ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.kind = kind;
    this.target = target;
  }
}

export function isTransportError(e: unknown, kind?: TransportErrorKind): e is TransportError {
  return e instanceof TransportError && (kind === undefined || e.kind === kind);
}
