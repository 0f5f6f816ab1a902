import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CstaSimulator, malformed, type SimulatorOptions } from '../../../src/simulator/csta/index.js';
import {
  ED3,
  monitorStart,
  monitorStop,
  RawClient,
  routeRegister,
  setUp,
  startSession,
  tag,
} from './raw-client.js';

const SWITCH: SimulatorOptions = {
  devices: { agents: ['2001', '2002'], acdGroups: [{ id: '3001' }], routePoints: [{ id: '3000' }] },
};

const sims: CstaSimulator[] = [];
const clients: RawClient[] = [];
const servers: net.Server[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sims.splice(0)) await s.close();
  for (const s of servers.splice(0)) s.close();
});

async function boot(options: SimulatorOptions = {}) {
  const sim = new CstaSimulator({ ...SWITCH, ...options });
  sims.push(sim);
  const { port } = await sim.listen();
  const client = await RawClient.connect({ port, framing: options.framing });
  clients.push(client);
  return { sim, client, port };
}

describe('TLS', () => {
  let dir: string;
  let key: Buffer;
  let cert: Buffer;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'csta-sim-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost']
        .concat(['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'])
        .concat(['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]),
      { stdio: 'ignore' },
    );
    key = readFileSync(join(dir, 'key.pem'));
    cert = readFileSync(join(dir, 'cert.pem'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('listens over TLS with a self-signed certificate', async () => {
    const sim = new CstaSimulator(SWITCH);
    sims.push(sim);
    const { port } = await sim.listen({ tls: { key, cert } });
    const client = await RawClient.connect({ port, tls: { ca: cert, servername: 'localhost' } });
    clients.push(client);
    const ids = await setUp(client, ['2001']);
    await sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' }).done;
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);
  });

  it('refuses a client that does not trust the certificate', async () => {
    const sim = new CstaSimulator(SWITCH);
    sims.push(sim);
    const { port } = await sim.listen({ tls: { key, cert } });
    await expect(RawClient.connect({ port, tls: { servername: 'localhost' } })).rejects.toThrow(
      /self-signed|certificate/,
    );
    expect(sim.clients).toHaveLength(0);
  });
});

describe('connect mode', () => {
  it('dials a listening CTI server, and dials again when the link drops', async () => {
    const accepted: RawClient[] = [];
    const waiters: Array<(c: RawClient) => void> = [];
    const server = net.createServer((socket) => {
      const c = new RawClient(socket);
      clients.push(c);
      accepted.push(c);
      waiters.shift()?.(c);
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const nextClient = () => new Promise<RawClient>((resolve) => waiters.push(resolve));

    const sim = new CstaSimulator(SWITCH);
    sims.push(sim);
    const first = nextClient();
    await sim.connect({ host: '127.0.0.1', port, reconnectDelayMs: 20 });
    const client = await first;
    expect((await client.request(startSession())).root).toBe('StartApplicationSessionPosResponse');

    const second = nextClient();
    sim.dropAll();
    await client.closed;
    const again = await second;
    expect((await again.request(monitorStart('2001'))).root).toBe('MonitorStartResponse');
    expect(accepted).toHaveLength(2);
  });
});

describe('NUL framing', () => {
  it('runs a session, a monitor and a call with NUL-terminated documents', async () => {
    const { sim, client } = await boot({ framing: 'nul', namespace: 'ed2' });
    const ids = await setUp(client, ['2001'], {
      versions: ['http://www.ecma.ch/standards/ecma-323/csta/ed2'],
    });
    expect(client.messages[0]?.invokeId).toBeUndefined();
    expect(client.all('MonitorStartResponse')[0]?.xml).toContain(
      'xmlns="http://www.ecma.ch/standards/ecma-323/csta/ed2"',
    );
    await sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' }).done;
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);
    expect(client.all((m) => m.monitor === ids['2001']).map((m) => m.root)).toEqual([
      'DeliveredEvent',
      'EstablishedEvent',
      'ConnectionClearedEvent',
      'ConnectionClearedEvent',
      'CallClearedEvent',
    ]);
  });

  it('sends namespace-less documents with namespace none', async () => {
    const { client } = await boot({ namespace: 'none' });
    const answer = await client.request(monitorStart('2001'));
    expect(answer.xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><MonitorStartResponse><monitorCrossRefID>1</monitorCrossRefID></MonitorStartResponse>',
    );
  });
});

describe('restart', () => {
  it('announces initializing, drops everything, comes back and greets with normal', async () => {
    const { sim, client, port } = await boot({ replyTimeoutMs: 10_000 });
    const ids = await setUp(client, ['2001']);
    await client.request(routeRegister('3000'));
    const inFlight = sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' });
    await client.take('RouteRequest');

    const restarted = sim.restart({ delayMs: 50 });
    const initializing = await client.take('SystemStatus');
    expect(tag(initializing.xml, 'systemStatus')).toBe('initializing');
    expect(initializing.invokeId).toBe('9999');
    await client.closed;
    expect(await inFlight.done).toMatchObject({ result: 'reset' });
    await restarted;

    const back = await RawClient.connect({ port });
    clients.push(back);
    const normal = await back.take('SystemStatus');
    expect(tag(normal.xml, 'systemStatus')).toBe('normal');
    expect(sim.monitorCount).toBe(0);
    expect(sim.registrationCount).toBe(0);
    const stale = await back.request(monitorStop(ids['2001'] ?? ''));
    expect(stale.root).toBe('CSTAErrorCode');
    expect((await back.request(monitorStart('2001'))).root).toBe('MonitorStartResponse');
  });
});

describe('faults', () => {
  it('sends raw bytes: bad headers and broken documents reach the client as they are', async () => {
    const { sim, client } = await boot();
    await client.request(startSession());
    sim.sendRaw(malformed.brokenXml('header'));
    const broken = await client.take((m) => m.xml.includes('<monitor'));
    expect(broken.root).toBe('DeliveredEvent');
    sim.sendRaw(malformed.badHeader());
    await expect.poll(() => client.badFrames.length).toBe(1);
  });

  it('stalls after half a frame and holds everything else until unstall()', async () => {
    const { sim, client } = await boot();
    const ids = await setUp(client, ['2001']);
    const before = client.messages.length;
    sim.sendHalfFrameAndStall();
    await expect.poll(() => client.pending).toBeGreaterThan(0);
    // Once the call is over, all its events have been written, into the stalled connection's hold.
    await sim.placeCall({ ani: '+33612345678', dnis: '+33140000000' }).done;
    expect(client.messages.length).toBe(before);
    sim.unstall();
    expect((await client.take('SystemStatus')).invokeId).toBe('9999');
    await client.take((m) => m.root === 'CallClearedEvent' && m.monitor === ids['2001']);
  });

  it('stops reading: requests wait unanswered until reading resumes', async () => {
    const { sim, client } = await boot();
    sim.pauseReading();
    const answer = client.request(
      `<SystemStatus xmlns="${ED3}"><systemStatus>normal</systemStatus></SystemStatus>`,
      3000,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.stats().requestsByType).toEqual({});
    sim.resumeReading();
    expect((await answer).root).toBe('SystemStatusResponse');
  });

  it('closes the connection on a bad frame header from the client', async () => {
    const { sim, client } = await boot();
    const errors: string[] = [];
    sim.on('protocol-error', (e) => errors.push(e.message));
    client.socket.write(Buffer.from('<?xml version="1.0"?><MonitorStart/>'));
    await client.closed;
    expect(errors[0]).toMatch(/bad frame header/);
    expect(sim.stats().framingErrors).toBe(1);
  });

  it('flags requests that use the unsolicited invoke id', async () => {
    const { sim, client } = await boot();
    const errors: string[] = [];
    sim.on('protocol-error', (e) => errors.push(e.message));
    client.send(monitorStart('2001'), '9999');
    await client.take('MonitorStartResponse');
    expect(errors).toEqual(['MonitorStart sent with the unsolicited invoke id 9999']);
  });

  it('sends SystemStatus periodically when configured', async () => {
    const { client } = await boot({ systemStatusIntervalMs: 20 });
    await client.take('SystemStatus');
    await client.take('SystemStatus');
  });
});
