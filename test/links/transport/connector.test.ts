import { once } from 'node:events';
import type net from 'node:net';
import type tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type Connector,
  failoverConnector,
  tcpConnector,
  tlsConnector,
} from '../../../src/links/transport/connector.js';
import type { TransportError } from '../../../src/links/transport/errors.js';
import { type Listener, listen } from '../../../src/links/transport/listener.js';
import { deadPort, echo, LOOPBACK, rejection, roundTrip, silentServer } from './helpers.js';
import { makePki, type Pki } from './pki.js';

const TIMEOUT = 5_000;
const never = () => new AbortController().signal;

let pki: Pki;
const cleanups: Array<() => unknown> = [];
const opened = (socket: net.Socket) => {
  cleanups.push(() => socket.destroy());
  return socket;
};
const serve = async (...args: Parameters<typeof listen>) => {
  const listener = await listen(...args);
  cleanups.push(() => listener.close());
  return listener;
};

beforeAll(() => {
  pki = makePki();
});
afterAll(() => pki.remove());
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

describe('tcpConnector', () => {
  it('connects to a listening peer and carries bytes both ways', async () => {
    const server = await serve({ host: LOOPBACK, port: 0 }, echo);
    const connector = tcpConnector({ host: LOOPBACK, port: server.address.port, connectTimeoutMs: TIMEOUT });
    expect(connector.description).toBe(`tcp://127.0.0.1:${server.address.port}`);
    const socket = opened(await connector.connect(never()));
    expect(await roundTrip(socket, 'ping')).toBe('ping');
  });

  it("rejects with 'refused' when nothing listens", async () => {
    const connector = tcpConnector({ host: LOOPBACK, port: await deadPort(), connectTimeoutMs: TIMEOUT });
    expect(await rejection(connector.connect(never()))).toMatchObject({
      name: 'TransportError',
      kind: 'refused',
    });
  });

  it('refuses a port outside 1–65535 when built', () => {
    expect(() => tcpConnector({ host: LOOPBACK, port: 0, connectTimeoutMs: TIMEOUT })).toThrow(
      expect.objectContaining({ code: 'RELAIS_ERR_CONFIG_INVALID' }),
    );
  });
});

describe('tlsConnector', () => {
  const tlsServer = (extra: { ca?: Buffer; requestCert?: boolean; onError?: (e: Error) => void } = {}) =>
    serve(
      {
        host: LOOPBACK,
        port: 0,
        tls: { cert: pki.server.cert, key: pki.server.key, ...extra },
        onError: extra.onError,
      },
      (socket) => {
        echo(socket);
        socket.write('hello');
      },
    );
  const connect = (listener: Listener, extra: Partial<Parameters<typeof tlsConnector>[0]> = {}) =>
    tlsConnector({
      host: LOOPBACK,
      port: listener.address.port,
      connectTimeoutMs: TIMEOUT,
      ...extra,
    }).connect(never());

  it('connects when the server certificate chains to the given CA and names the IP', async () => {
    const server = await tlsServer();
    const socket = opened(await connect(server, { ca: pki.ca })) as tls.TLSSocket;
    expect(socket.authorized).toBe(true);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(socket.getProtocol());
    const [greeting] = (await once(socket, 'data')) as [Buffer];
    expect(greeting.toString()).toBe('hello');
  });

  it('checks the certificate against servername when one is given', async () => {
    const server = await tlsServer();
    const socket = opened(await connect(server, { ca: pki.ca, servername: 'localhost' })) as tls.TLSSocket;
    expect(socket.authorized).toBe(true);
  });

  it("refuses a certificate from a CA it does not trust: 'tls'", async () => {
    const server = await tlsServer();
    const error = await rejection(connect(server, { ca: pki.otherCa }));
    expect(error).toMatchObject({ kind: 'tls' });
    expect((error as TransportError).cause).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it("refuses a self-made CA when only Node's built-in roots are trusted", async () => {
    const server = await tlsServer();
    expect(await rejection(connect(server))).toMatchObject({ kind: 'tls' });
  });

  it("refuses a certificate that does not name the host: 'tls'", async () => {
    const server = await tlsServer();
    const error = await rejection(connect(server, { ca: pki.ca, servername: 'pbx.example.com' }));
    expect(error).toMatchObject({ kind: 'tls' });
    expect((error as TransportError).cause).toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('presents a client certificate for mutual TLS', async () => {
    let peer: string | undefined;
    const server = await serve(
      {
        host: LOOPBACK,
        port: 0,
        tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true },
      },
      (socket) => {
        peer = String((socket as tls.TLSSocket).getPeerCertificate().subject.CN);
        echo(socket);
      },
    );
    const socket = opened(await connect(server, { ca: pki.ca, cert: pki.client.cert, key: pki.client.key }));
    expect(await roundTrip(socket, 'ping')).toBe('ping');
    expect(peer).toBe('relais-client');
  });

  for (const [what, client] of [
    ['no client certificate', () => ({})],
    [
      'a client certificate from another CA',
      () => ({ cert: pki.strangerClient.cert, key: pki.strangerClient.key }),
    ],
  ] as const) {
    it(`is refused by a server that requires client certificates when it presents ${what}`, async () => {
      let accepted = 0;
      let serverRefused: (e: Error) => void = () => {};
      const refused = new Promise<Error>((resolve) => {
        serverRefused = resolve;
      });
      const server = await serve(
        {
          host: LOOPBACK,
          port: 0,
          tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca, requestCert: true },
          onError: serverRefused,
        },
        (socket) => {
          accepted++;
          echo(socket);
        },
      );
      // TLS 1.3 finishes the client's side of the handshake before the server checks the client
      // certificate, so the refusal may arrive as a connect failure or right after it.
      const outcome = connect(server, { ca: pki.ca, ...client() }).then(
        async (socket) => {
          const closed = new Promise((resolve) =>
            opened(socket)
              .on('error', () => {})
              .once('close', resolve),
          );
          socket.write('ping');
          await closed;
          return 'closed by the server';
        },
        (error: TransportError) => error.kind,
      );
      expect(['tls', 'closed by the server']).toContain(await outcome);
      expect(await refused).toBeInstanceOf(Error);
      expect(accepted).toBe(0);
    });
  }

  it('refuses to be built with a client certificate but no key', () => {
    expect(() =>
      tlsConnector({ host: LOOPBACK, port: 4061, connectTimeoutMs: TIMEOUT, cert: pki.client.cert }),
    ).toThrow(expect.objectContaining({ code: 'RELAIS_ERR_CONFIG_INVALID' }));
  });

  it("gives up with 'timeout' when the TLS handshake does not complete in time", async () => {
    const { listener } = await silentServer();
    cleanups.push(() => listener.close());
    const started = performance.now();
    const connector = tlsConnector({
      host: LOOPBACK,
      port: listener.address.port,
      ca: pki.ca,
      connectTimeoutMs: 200,
    });
    const error = await rejection(connector.connect(never()));
    expect(error).toMatchObject({ kind: 'timeout' });
    expect((error as Error).message).toContain('TLS handshake');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("stops with 'aborted' when the signal fires mid-handshake, and closes the socket", async () => {
    const { listener, accepted } = await silentServer();
    cleanups.push(() => listener.close());
    const controller = new AbortController();
    const connector = tlsConnector({
      host: LOOPBACK,
      port: listener.address.port,
      ca: pki.ca,
      connectTimeoutMs: 60_000,
    });
    const attempt = rejection(connector.connect(controller.signal));
    const serverSide = await accepted;
    controller.abort(new Error('link stopped'));
    expect(await attempt).toMatchObject({ kind: 'aborted', cause: new Error('link stopped') });
    await once(serverSide, 'close');
  });

  it("rejects with 'aborted' at once when the signal has already fired", async () => {
    const connector = tcpConnector({ host: LOOPBACK, port: await deadPort(), connectTimeoutMs: TIMEOUT });
    expect(await rejection(connector.connect(AbortSignal.abort()))).toMatchObject({ kind: 'aborted' });
  });
});

describe('failoverConnector', () => {
  it('skips a dead primary and connects to the live standby', async () => {
    const standby = await serve({ host: LOOPBACK, port: 0 }, echo);
    const primary = tcpConnector({ host: LOOPBACK, port: await deadPort(), connectTimeoutMs: TIMEOUT });
    const connector = failoverConnector([
      primary,
      tcpConnector({ host: LOOPBACK, port: standby.address.port, connectTimeoutMs: TIMEOUT }),
    ]);
    expect(connector.description).toMatch(/^failover\(tcp:\/\/127\.0\.0\.1:\d+, tcp:\/\/127\.0\.0\.1:\d+\)$/);
    const socket = opened(await connector.connect(never()));
    expect(socket.remotePort).toBe(standby.address.port);
    expect(await roundTrip(socket, 'ping')).toBe('ping');
  });

  it("rejects with 'all-failed' and every address's error when none answers", async () => {
    const dead = async () =>
      tcpConnector({ host: LOOPBACK, port: await deadPort(), connectTimeoutMs: TIMEOUT });
    const error = await rejection(failoverConnector([await dead(), await dead()]).connect(never()));
    expect(error).toMatchObject({ kind: 'all-failed' });
    const cause = (error as TransportError).cause as AggregateError;
    expect(cause.errors.map((e: TransportError) => e.kind)).toEqual(['refused', 'refused']);
  });

  it('tries no further address once aborted', async () => {
    const { listener, accepted } = await silentServer();
    cleanups.push(() => listener.close());
    let standbyTried = false;
    const standby: Connector = {
      description: 'standby',
      connect: async () => {
        standbyTried = true;
        throw new Error('unreachable');
      },
    };
    const controller = new AbortController();
    const primary = tlsConnector({
      host: LOOPBACK,
      port: listener.address.port,
      ca: pki.ca,
      connectTimeoutMs: 60_000,
    });
    const attempt = rejection(failoverConnector([primary, standby]).connect(controller.signal));
    await accepted;
    controller.abort();
    expect(await attempt).toMatchObject({ kind: 'aborted' });
    expect(standbyTried).toBe(false);
  });

  it('needs at least one address', () => {
    expect(() => failoverConnector([])).toThrow(
      expect.objectContaining({ code: 'RELAIS_ERR_CONFIG_INVALID' }),
    );
  });
});
