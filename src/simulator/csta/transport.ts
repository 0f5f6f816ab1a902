/**
 * Sockets for the two deployments: the switch listens and the CTI server connects (the usual
 * case), or the switch connects to a CTI server that listens. TCP or TLS either way.
 */
import { once } from 'node:events';
import net, { type AddressInfo, type Server, type Socket } from 'node:net';
import tls from 'node:tls';

export interface ListenTls {
  key: string | Buffer;
  cert: string | Buffer;
  /** Client CA: with `requestCert`, clients must present a certificate it signed. */
  ca?: string | Buffer;
  requestCert?: boolean;
}

export interface ListenOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port, see the returned address. */
  port?: number;
  tls?: ListenTls;
}

export interface ConnectTls {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  servername?: string;
  /** Default true. */
  rejectUnauthorized?: boolean;
}

export interface ConnectOptions {
  host: string;
  port: number;
  tls?: ConnectTls;
  /** Delay before dialling again when the connection drops (default 1000). */
  reconnectDelayMs?: number;
}

export interface BoundAddress {
  host: string;
  port: number;
}

/** Opens a listening socket; `onSocket` receives each accepted connection. */
export async function openListener(
  opts: ListenOptions,
  onSocket: (socket: Socket) => void,
): Promise<{ server: Server; address: BoundAddress }> {
  const server = opts.tls
    ? tls.createServer(
        {
          key: opts.tls.key,
          cert: opts.tls.cert,
          ca: opts.tls.ca,
          requestCert: opts.tls.requestCert ?? false,
        },
        onSocket,
      )
    : net.createServer(onSocket);
  // A TLS handshake that fails is the client's problem; the listener stays up.
  server.on('tlsClientError', () => {});
  server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await once(server, 'listening');
  const info = server.address() as AddressInfo;
  return { server, address: { host: info.address, port: info.port } };
}

export async function closeListener(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Dials the CTI server; resolves once connected (and the TLS handshake is done). */
export function dial(opts: ConnectOptions): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = opts.tls
      ? tls.connect({
          host: opts.host,
          port: opts.port,
          ca: opts.tls.ca,
          cert: opts.tls.cert,
          key: opts.tls.key,
          servername: opts.tls.servername,
          rejectUnauthorized: opts.tls.rejectUnauthorized ?? true,
        })
      : net.connect({ host: opts.host, port: opts.port });
    const ready = opts.tls ? 'secureConnect' : 'connect';
    const onError = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    socket.once('error', onError);
    socket.once(ready, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}
