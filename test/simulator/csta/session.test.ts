import { afterEach, describe, expect, it } from 'vitest';
import { CstaSimulator, type SimulatorOptions } from '../../../src/simulator/csta/index.js';
import { APPL, ED3, monitorStart, monitorStop, RawClient, startSession, tag } from './raw-client.js';

const open: Array<{ sim: CstaSimulator; clients: RawClient[] }> = [];

async function boot(options: SimulatorOptions = {}) {
  const sim = new CstaSimulator(options);
  const { port } = await sim.listen();
  const client = await RawClient.connect({ port, framing: options.framing });
  open.push({ sim, clients: [client] });
  return { sim, client, port };
}

afterEach(async () => {
  for (const { sim, clients } of open.splice(0)) {
    for (const c of clients) c.close();
    await sim.close();
  }
});

describe('application session (ECMA-354)', () => {
  it('starts a session with a session id, the protocol version and the duration', async () => {
    const { client } = await boot();
    const id = client.send(startSession({ duration: 120 }));
    const answer = await client.take('StartApplicationSessionPosResponse');
    expect(answer.invokeId).toBe(id);
    expect(answer.xml).toContain(`xmlns="${APPL}"`);
    expect(tag(answer.xml, 'sessionID')).toMatch(/.+/);
    expect(tag(answer.xml, 'actualProtocolVersion')).toBe(ED3);
    expect(tag(answer.xml, 'actualSessionDuration')).toBe('120');
  });

  it('refuses protocol versions it does not speak', async () => {
    const { client } = await boot();
    const answer = await client.request(startSession({ versions: ['urn:nothing'] }));
    expect(answer.root).toBe('StartApplicationSessionNegResponse');
  });

  it('resets and stops the session timer', async () => {
    const { client } = await boot();
    const started = await client.request(startSession());
    const sessionId = tag(started.xml, 'sessionID');
    const reset = await client.request(
      `<ResetApplicationSessionTimer xmlns="${APPL}"><sessionID>${sessionId}</sessionID><requestedSessionDuration>60</requestedSessionDuration></ResetApplicationSessionTimer>`,
    );
    expect(reset.root).toBe('ResetApplicationSessionTimerPosResponse');
    expect(tag(reset.xml, 'actualSessionDuration')).toBe('60');
    const stop = await client.request(
      `<StopApplicationSession xmlns="${APPL}"><sessionID>${sessionId}</sessionID></StopApplicationSession>`,
    );
    expect(stop.root).toBe('StopApplicationSessionPosResponse');
  });

  it('with requireSession, refuses other requests until the session is up', async () => {
    const { client } = await boot({ requireSession: true });
    const refused = await client.request(monitorStart('2001'));
    expect(refused.root).toBe('CSTAErrorCode');
    await client.request(startSession());
    expect((await client.request(monitorStart('2001'))).root).toBe('MonitorStartResponse');
  });

  it('drops the connection when the session timer runs out', async () => {
    const { sim, client } = await boot({ sessionDurationSec: 0.05 });
    const expired = new Promise((resolve) => sim.once('session-expired', resolve));
    await client.request(startSession({ duration: 0 }));
    await expired;
    await client.closed;
  });
});

describe('monitoring and other services', () => {
  it('answers MonitorStart with a monitorCrossRefID and refuses unknown devices', async () => {
    const { sim, client } = await boot();
    const ok = await client.request(monitorStart('2001'));
    expect(ok.root).toBe('MonitorStartResponse');
    const ref = tag(ok.xml, 'monitorCrossRefID');
    expect(ref).toMatch(/^[0-9]+$/);
    const bad = await client.request(monitorStart('9999999'));
    expect(bad.root).toBe('CSTAErrorCode');
    expect(tag(bad.xml, 'operation')).toBe('invalidMonitorObject');
    expect(sim.monitorCount).toBe(1);
    expect((await client.request(monitorStop(ref ?? ''))).root).toBe('MonitorStopResponse');
    expect(tag((await client.request(monitorStop(ref ?? ''))).xml, 'operation')).toBe(
      'invalidMonitorCrossReferenceID',
    );
  });

  it('answers SystemStatus, SnapshotDevice, and CSTAErrorCode for services it lacks', async () => {
    const { sim, client } = await boot();
    const requests: string[] = [];
    sim.on('request', (r) => requests.push(`${r.type}/${r.invokeId}`));
    expect(
      (
        await client.request(
          `<SystemStatus xmlns="${ED3}"><systemStatus>normal</systemStatus></SystemStatus>`,
        )
      ).root,
    ).toBe('SystemStatusResponse');
    const snap = await client.request(
      `<SnapshotDevice xmlns="${ED3}"><snapshotObject>2001</snapshotObject></SnapshotDevice>`,
    );
    expect(snap.root).toBe('SnapshotDeviceResponse');
    const unknown = await client.request(
      `<MakeCall xmlns="${ED3}"><callingDevice>2001</callingDevice></MakeCall>`,
    );
    expect(unknown.root).toBe('CSTAErrorCode');
    expect(tag(unknown.xml, 'operation')).toBe('serviceNotSupported');
    expect(requests).toEqual(['SystemStatus/0001', 'SnapshotDevice/0002', 'MakeCall/0003']);
    expect(sim.stats().requestsByType).toEqual({ SystemStatus: 1, SnapshotDevice: 1, MakeCall: 1 });
  });

  it('answers malformed XML with CSTAErrorCode and reports it', async () => {
    const { sim, client } = await boot();
    const errors: string[] = [];
    sim.on('protocol-error', (e) => errors.push(e.message));
    const answer = await client.request('<MonitorStart><monitorObject></MonitorStart>');
    expect(answer.root).toBe('CSTAErrorCode');
    expect(errors[0]).toMatch(/malformed/);
    expect(sim.stats().malformedMessages).toBe(1);
  });

  it('serves several clients, each with its own monitors', async () => {
    const { sim, client, port } = await boot();
    const other = await RawClient.connect({ port });
    open[0]?.clients.push(other);
    await client.request(monitorStart('2001'));
    await other.request(monitorStart('2002'));
    expect(sim.clients).toHaveLength(2);
    expect(sim.monitorCount).toBe(2);
    other.close();
    await new Promise((resolve) => sim.once('client-disconnected', resolve));
    expect(sim.monitorCount).toBe(1);
  });
});
