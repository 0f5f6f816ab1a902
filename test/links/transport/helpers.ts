import { once } from 'node:events';
import net from 'node:net';
import { type Listener, listen } from '../../../src/links/transport/listener.js';

export const LOOPBACK = '127.0.0.1';

/** A loopback port nothing listens on (bound, then released). */
export async function deadPort(): Promise<number> {
  const server = net.createServer().listen(0, LOOPBACK);
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts and never says a word: a TLS handshake against it never completes. */
export async function silentServer(): Promise<{ listener: Listener; accepted: Promise<net.Socket> }> {
  let resolveAccepted: (s: net.Socket) => void = () => {};
  const accepted = new Promise<net.Socket>((resolve) => {
    resolveAccepted = resolve;
  });
  const listener = await listen({ host: LOOPBACK, port: 0 }, (socket) => {
    socket.on('error', () => {});
    resolveAccepted(socket);
  });
  return { listener, accepted };
}

/** Writes `text` and resolves with the first bytes that come back. */
export async function roundTrip(socket: net.Socket, text: string): Promise<string> {
  socket.write(text);
  const [data] = (await once(socket, 'data')) as [Buffer];
  return data.toString();
}

export function echo(socket: net.Socket): void {
  socket.on('error', () => {});
  socket.pipe(socket);
}

/** The rejection of `promise`, or a failure if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    if (value instanceof net.Socket) value.destroy();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}
