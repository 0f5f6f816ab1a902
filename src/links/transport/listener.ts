/**
 * The other way round: Relais listens and the PBX connects (switches that push CSTA to a
 * configured server, SIP over TCP/TLS). A TCP or TLS server that hands each ready socket to
 * `onSocket` and, on close, also ends the connections it accepted.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Pem } from './connector.js';
import { TransportError } from './errors.js';

export interface ListenTlsOptions {
  cert: Pem;
  key: Pem;
  /** CAs trusted for client certificates (mutual TLS). */
  ca?: Pem;
  /** Require a client certificate signed by `ca`; a client without one is refused. */
  requestCert?: boolean;
  /** A client must finish its handshake within this time; default 10 s. */
  handshakeTimeoutMs?: number;
}

export interface ListenOptions {
  host: string;
  /** 0 picks a free port (tests); `address.port` tells which. */
  port: number;
  tls?: ListenTlsOptions;
  /** Refused TLS clients and failed accepts, for the log; ignored when absent. */
  onError?: (error: Error) => void;
}

export interface Listener {
  readonly address: { host: string; port: number };
  /** Stops accepting, destroys every open connection and resolves once the server is closed. */
  close(): Promise<void>;
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * `onSocket` gets TCP sockets once accepted and TLS sockets once the handshake (and, with
 * `requestCert`, the client certificate check) succeeded. It must attach an 'error' listener.
 */
export async function listen(opts: ListenOptions, onSocket: (socket: net.Socket) => void): Promise<Listener> {
  const open = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };
  const accept = (socket: net.Socket) => {
    track(socket);
    socket.setNoDelay(true);
    onSocket(socket);
  };
  const server = opts.tls ? tlsServer(opts.tls, accept) : net.createServer(accept);
  // tls.Server emits 'connection' with the raw TCP socket, before any handshake.
  if (opts.tls) server.on('connection', track);
  const onError = opts.onError ?? (() => {});
  // With a 'tlsClientError' listener Node leaves the failed socket open: end it here.
  server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
    socket.destroy();
    onError(error);
  });

  const target = `${opts.tls ? 'tls' : 'tcp'}://${opts.host}:${opts.port}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) =>
      reject(
        new TransportError('listen', target, `cannot listen (${cause.code ?? cause.message})`, { cause }),
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  server.removeAllListeners('error');
  server.on('error', onError);

  const bound = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    address: { host: bound.address, port: bound.port },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      });
      return closing;
    },
  };
}

function tlsServer(opts: ListenTlsOptions, accept: (socket: tls.TLSSocket) => void): tls.Server {
  const requestCert = opts.requestCert === true;
  return tls.createServer(
    {
      cert: opts.cert,
      key: opts.key,
      ca: opts.ca,
      requestCert,
      // With requestCert, a client whose certificate is missing or untrusted never reaches onSocket.
      rejectUnauthorized: requestCert,
      minVersion: 'TLSv1.2',
      handshakeTimeout: opts.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
    },
    accept,
  );
}
