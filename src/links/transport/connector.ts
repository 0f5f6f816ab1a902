/**
 * How a link reaches its peer: the swappable connection strategy (after ioredis' connectors). A
 * link holds a `Connector` and calls `connect` on every (re)connection attempt; it never names
 * TCP or TLS itself, so plain TCP, TLS and primary/standby switch addresses need no protocol code.
 * This folder knows nothing of CSTA, SIP or AMI.
 */
import net from 'node:net';
import tls from 'node:tls';
import { RelaisError } from '../../errors.js';
import { TransportError } from './errors.js';

export interface Connector {
  /** Where it connects, for logs: `tcp://10.1.2.3:1040`, `failover(tls://a:4061, tls://b:4061)`. */
  readonly description: string;
  /**
   * Resolves with a socket ready for application bytes (TCP connected, TLS handshake done and the
   * peer's certificate verified) or rejects with a `TransportError`. The caller must attach its
   * own 'error' listener at once.
   */
  connect(signal: AbortSignal): Promise<net.Socket | tls.TLSSocket>;
}

export interface TcpConnectorOptions {
  host: string;
  port: number;
  /** Covers the TCP connection and, for TLS, the handshake. */
  connectTimeoutMs: number;
}

/** PEM text or bytes, or a list of them (a CA bundle). */
export type Pem = string | Buffer | Array<string | Buffer>;

export interface TlsConnectorOptions extends TcpConnectorOptions {
  /** CAs trusted for the peer's certificate; Node's built-in roots when absent. */
  ca?: Pem;
  /** Client certificate and key for mutual TLS; both or neither. */
  cert?: Pem;
  key?: Pem;
  /** Name checked against the certificate and sent as SNI; defaults to `host` unless it is an IP. */
  servername?: string;
}

/** Small XML messages whose latency matters; keep-alive notices a peer that vanished silently. */
const KEEPALIVE_INITIAL_DELAY_MS = 30_000;

export function tcpConnector(opts: TcpConnectorOptions): Connector {
  checkTarget(opts);
  const description = `tcp://${hostPort(opts.host, opts.port)}`;
  return {
    description,
    connect: (signal) =>
      establish(description, opts.connectTimeoutMs, signal, 'connect', () =>
        net.connect({ host: opts.host, port: opts.port }),
      ),
  };
}

/**
 * TLS 1.2+ with the peer's certificate always verified. Under TLS 1.3 a server that refuses our
 * client certificate says so after our side of the handshake is done: that refusal arrives as an
 * 'error' on the socket just after `connect` resolved, not as a rejection.
 */
export function tlsConnector(opts: TlsConnectorOptions): Connector {
  checkTarget(opts);
  if ((opts.cert === undefined) !== (opts.key === undefined)) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      'TLS client certificate and key go together: give both or neither',
    );
  }
  const description = `tls://${hostPort(opts.host, opts.port)}`;
  const servername = opts.servername ?? (net.isIP(opts.host) === 0 ? opts.host : undefined);
  const options: tls.ConnectionOptions = {
    host: opts.host,
    port: opts.port,
    servername,
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
    minVersion: 'TLSv1.2',
    // Always on: a CTI link carries callers' numbers. Trust another CA with `ca`, never by opting out.
    rejectUnauthorized: true,
  };
  return {
    description,
    connect: (signal) =>
      establish(description, opts.connectTimeoutMs, signal, 'secureConnect', () => tls.connect(options)),
  };
}

/**
 * Tries each connector in turn, first to last, on every attempt: the primary is preferred as soon
 * as it is back. Rejects with 'all-failed' (an AggregateError of each failure as cause), or with
 * 'aborted' as soon as the signal fires.
 */
export function failoverConnector(connectors: readonly Connector[]): Connector {
  if (connectors.length === 0) {
    throw new RelaisError('RELAIS_ERR_CONFIG_INVALID', 'a failover list needs at least one address');
  }
  const description = `failover(${connectors.map((c) => c.description).join(', ')})`;
  return {
    description,
    async connect(signal) {
      const failures: unknown[] = [];
      for (const connector of connectors) {
        try {
          return await connector.connect(signal);
        } catch (error) {
          if (signal.aborted) throw error;
          failures.push(error);
        }
      }
      const summary = failures.map((f) => (f instanceof Error ? f.message : String(f))).join('; ');
      throw new TransportError('all-failed', description, `no address answered (${summary})`, {
        cause: new AggregateError(failures, 'every failover address failed'),
      });
    },
  };
}

function checkTarget(opts: TcpConnectorOptions): void {
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) {
    throw new RelaisError('RELAIS_ERR_CONFIG_INVALID', `port must be 1–65535, got ${opts.port}`);
  }
  if (!Number.isFinite(opts.connectTimeoutMs) || opts.connectTimeoutMs <= 0) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `connectTimeoutMs must be positive, got ${opts.connectTimeoutMs}`,
    );
  }
}

function hostPort(host: string, port: number): string {
  return net.isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Opens a socket and settles once it is `ready` ('connect' for TCP, 'secureConnect' for TLS, which
 * Node emits only after the certificate checks passed), or on error, close, timeout or abort —
 * whichever comes first; a failed socket is destroyed. Failures after the TCP connection opened
 * and before a TLS socket is ready are handshake failures ('tls').
 */
function establish(
  target: string,
  timeoutMs: number,
  signal: AbortSignal,
  ready: 'connect' | 'secureConnect',
  open: () => net.Socket,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new TransportError('aborted', target, 'connection aborted', { cause: signal.reason }));
      return;
    }
    const socket = open();
    socket.setNoDelay(true);
    socket.setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS);
    let tcpUp = false;
    const handshaking = () => tcpUp && ready === 'secureConnect';
    const settle = (error?: TransportError) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect).off(ready, onReady).off('error', onError).off('close', onClose);
      if (error === undefined) {
        resolve(socket);
      } else {
        socket.destroy();
        reject(error);
      }
    };
    const onConnect = () => {
      tcpUp = true;
    };
    const onReady = () => settle();
    const onError = (cause: NodeJS.ErrnoException) => settle(classify(target, cause, handshaking()));
    const onClose = () =>
      settle(new TransportError(handshaking() ? 'tls' : 'network', target, 'closed by the peer'));
    const onAbort = () =>
      settle(new TransportError('aborted', target, 'connection aborted', { cause: signal.reason }));
    const onTimeout = () => {
      const what = handshaking() ? 'TLS handshake not complete' : 'no TCP connection';
      settle(new TransportError('timeout', target, `${what} after ${timeoutMs} ms`));
    };
    const timer = setTimeout(onTimeout, timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', onConnect).on(ready, onReady).on('error', onError).on('close', onClose);
  });
}

function classify(target: string, cause: NodeJS.ErrnoException, handshaking: boolean): TransportError {
  const detail = cause.code ? `${cause.code}: ${cause.message}` : cause.message;
  if (handshaking) return new TransportError('tls', target, `TLS handshake failed (${detail})`, { cause });
  if (cause.code === 'ECONNREFUSED')
    return new TransportError('refused', target, 'connection refused', { cause });
  if (cause.code === 'ETIMEDOUT') return new TransportError('timeout', target, detail, { cause });
  return new TransportError('network', target, detail, { cause });
}
