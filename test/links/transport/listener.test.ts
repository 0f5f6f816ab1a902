import { once } from 'node:events';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { tlsConnector } from '../../../src/links/transport/connector.js';
import { listen } from '../../../src/links/transport/listener.js';
import { echo, LOOPBACK, rejection, roundTrip } from './helpers.js';
import { makePki } from './pki.js';

describe('listen', () => {
  it('hands accepted TCP sockets to onSocket and reports the bound address', async () => {
    const listener = await listen({ host: LOOPBACK, port: 0 }, echo);
    expect(listener.address.host).toBe(LOOPBACK);
    expect(listener.address.port).toBeGreaterThan(0);
    const client = net.connect(listener.address.port, LOOPBACK);
    expect(await roundTrip(client, 'ping')).toBe('ping');
    client.destroy();
    await listener.close();
  });

  it('closes the connections it accepted when it closes, and closes once', async () => {
    let accepted: () => void = () => {};
    const ready = new Promise<void>((resolve) => {
      accepted = resolve;
    });
    const listener = await listen({ host: LOOPBACK, port: 0 }, (socket) => {
      socket.on('error', () => {});
      accepted();
    });
    const client = net.connect(listener.address.port, LOOPBACK).on('error', () => {});
    await ready;
    const closed = once(client, 'close');
    const first = listener.close();
    expect(listener.close()).toBe(first);
    await first;
    await closed;
  });

  it('closes accepted TLS connections too', async () => {
    const pki = makePki();
    const listener = await listen(
      { host: LOOPBACK, port: 0, tls: { cert: pki.server.cert, key: pki.server.key } },
      (socket) => {
        echo(socket);
        socket.write('hello');
      },
    );
    const connector = tlsConnector({
      host: LOOPBACK,
      port: listener.address.port,
      ca: pki.ca,
      connectTimeoutMs: 5_000,
    });
    const client = (await connector.connect(new AbortController().signal)).on('error', () => {});
    await once(client, 'data');
    const closed = once(client, 'close');
    await listener.close();
    await closed;
    pki.remove();
  });

  it("rejects with 'listen' when the port is taken", async () => {
    const first = await listen({ host: LOOPBACK, port: 0 }, echo);
    const error = await rejection(listen({ host: LOOPBACK, port: first.address.port }, echo));
    expect(error).toMatchObject({ name: 'TransportError', kind: 'listen' });
    expect((error as Error).message).toContain('EADDRINUSE');
    await first.close();
  });

  it('drops a TLS client that never completes its handshake, and reports it', async () => {
    const pki = makePki();
    let reported: (e: Error) => void = () => {};
    const report = new Promise<Error>((resolve) => {
      reported = resolve;
    });
    const listener = await listen(
      {
        host: LOOPBACK,
        port: 0,
        tls: { cert: pki.server.cert, key: pki.server.key, handshakeTimeoutMs: 200 },
        onError: reported,
      },
      echo,
    );
    const silent = net.connect(listener.address.port, LOOPBACK).on('error', () => {});
    await once(silent, 'close');
    expect((await report).message).toMatch(/timeout/i);
    await listener.close();
    pki.remove();
  });
});
