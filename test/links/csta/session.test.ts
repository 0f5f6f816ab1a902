/** The CSTA session over an in-memory stream pair: invoke ids, answers, refusals, timeouts, bad input. */
import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRelaisError } from '../../../src/errors.js';
import { decodeCsta, encodeCsta } from '../../../src/links/csta/codec/index.js';
import { headerFraming, nulFraming } from '../../../src/links/csta/framing/index.js';
import type { Framing } from '../../../src/links/csta/framing/types.js';
import type { CstaMessage } from '../../../src/links/csta/messages.js';
import { CstaError, CstaSession, type SessionProblem } from '../../../src/links/csta/session.js';

const NS = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';

/** Two connected in-memory sockets. */
function pair(): [Duplex, Duplex] {
  let a!: Duplex;
  let b!: Duplex;
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        peer().push(chunk);
        cb();
      },
      final(cb) {
        peer().push(null);
        cb();
      },
    });
  a = make(() => b);
  b = make(() => a);
  return [a, b];
}

/** The switch side: decodes what the session sends, lets the test answer. */
function fakeSwitch(stream: Duplex, framing: Framing) {
  const received: Array<{ msg: CstaMessage; invokeId: string | undefined }> = [];
  const decoder = framing.createDecoder({ maxFrameBytes: 65535 });
  stream.on('data', (chunk: Buffer) => {
    for (const r of decoder.push(chunk)) {
      if (!r.ok) throw new Error(r.error.message);
      const d = decodeCsta(r.frame.payload);
      if (!d.ok) throw new Error(d.error.message);
      received.push({ msg: d.message, invokeId: r.frame.invokeId });
    }
  });
  return {
    received,
    send(msg: CstaMessage, invokeId = '9999') {
      stream.write(framing.encode(Buffer.from(encodeCsta(msg, { namespace: NS })), invokeId));
    },
    raw(bytes: Buffer) {
      stream.write(bytes);
    },
  };
}

function setUp(framing: Framing = headerFraming, requestTimeoutMs = 1000) {
  const [ours, theirs] = pair();
  const messages: CstaMessage[] = [];
  const problems: SessionProblem[] = [];
  const session = new CstaSession(ours, {
    framing,
    maxFrameBytes: 65535,
    namespace: NS,
    requestTimeoutMs,
    onMessage: (m) => messages.push(m),
    onProblem: (p) => problems.push(p),
  });
  return { session, sw: fakeSwitch(theirs, framing), messages, problems, theirs };
}

const tick = () => new Promise((r) => setImmediate(r));

afterEach(() => {
  vi.useRealTimers();
});

describe('CSTA session', () => {
  it('matches each answer to its request by invoke id, whatever the order of the answers', async () => {
    const { session, sw } = setUp();
    const a = session.request({ type: 'MonitorStart', device: '2001' });
    const b = session.request({ type: 'MonitorStart', device: '2002' });
    await tick();
    const [first, second] = sw.received;
    expect(first?.invokeId).toBe('0001');
    expect(second?.invokeId).toBe('0002');
    sw.send({ type: 'MonitorStartResponse', monitorCrossRefId: 'M2' }, '0002');
    sw.send({ type: 'MonitorStartResponse', monitorCrossRefId: 'M1' }, '0001');
    expect(await a).toEqual({ type: 'MonitorStartResponse', monitorCrossRefId: 'M1' });
    expect(await b).toEqual({ type: 'MonitorStartResponse', monitorCrossRefId: 'M2' });
    expect(session.pendingRequests).toBe(0);
  });

  it('rejects a refused request with the switch error code', async () => {
    const { session, sw } = setUp();
    const p = session.request({ type: 'MonitorStart', device: '9999' });
    await tick();
    sw.send({ type: 'CSTAErrorCode', category: 'operation', value: 'invalidMonitorObject' }, '0001');
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(CstaError);
    expect(err).toMatchObject({
      category: 'operation',
      value: 'invalidMonitorObject',
      request: 'MonitorStart',
    });
  });

  it('times a request out, and a late answer is reported as unmatched, not delivered', async () => {
    vi.useFakeTimers();
    const { session, sw, problems } = setUp(headerFraming, 500);
    const p = session.request({ type: 'SystemStatus', status: 'normal' });
    vi.advanceTimersByTime(501);
    const err = await p.catch((e) => e);
    expect(isRelaisError(err, 'RELAIS_ERR_LINK_TIMEOUT')).toBe(true);
    vi.useRealTimers();
    sw.send({ type: 'SystemStatusResponse' }, '0001');
    await tick();
    expect(problems).toEqual([
      { kind: 'unmatched-response', type: 'SystemStatusResponse', invokeId: '0001' },
    ]);
  });

  it('names what a refusal answers when we sent without waiting (a late RouteSelect)', async () => {
    const { session, sw, problems } = setUp();
    session.send({ type: 'RouteSelect', crossRefId: 'R9', routeSelected: '3001', routeUsedReq: false });
    await tick();
    const invokeId = sw.received[0]?.invokeId as string;
    expect(invokeId).toMatch(/^[0-9]{4}$/);
    sw.send({ type: 'CSTAErrorCode', category: 'operation', value: 'invalidCrossRefId' }, invokeId);
    // The same id answered twice: the second is not a refusal of anything we remember.
    sw.send({ type: 'CSTAErrorCode', category: 'operation', value: 'invalidCrossRefId' }, invokeId);
    await tick();
    expect(problems).toEqual([
      { kind: 'refused', type: 'RouteSelect', invokeId, code: 'operation/invalidCrossRefId' },
      { kind: 'unmatched-response', type: 'CSTAErrorCode', invokeId },
    ]);
  });

  it('hands events and the switch requests to onMessage, in order', async () => {
    const { sw, messages } = setUp();
    sw.send({ type: 'SystemStatus', status: 'normal' }, '0042');
    sw.send({ type: 'RouteEnd', crossRefId: 'R1' });
    await tick();
    expect(messages.map((m) => m.type)).toEqual(['SystemStatus', 'RouteEnd']);
  });

  it('drops a bad document and goes on; resets on a lost framing; fails pending requests on close', async () => {
    const { session, sw, problems, messages } = setUp();
    const body = Buffer.from('<DeliveredEvent><oops>');
    const head = Buffer.alloc(8);
    head.writeUInt16BE(body.length + 8, 2);
    head.write('9999', 4, 'ascii');
    sw.raw(Buffer.concat([head, body]));
    sw.send({ type: 'RouteEnd', crossRefId: 'R2' });
    await tick();
    expect(problems[0]).toMatchObject({ kind: 'document', code: 'malformed-xml' });
    expect(messages).toHaveLength(1);
    const pending = session.request({ type: 'MonitorStart', device: '2001' });
    sw.raw(Buffer.from('<?xml this is not a header'));
    await expect(pending).rejects.toBeTruthy();
    expect(problems.some((p) => p.kind === 'framing' && p.fatal)).toBe(true);
    expect(session.isOpen).toBe(false);
    await expect(session.request({ type: 'SystemStatus', status: 'normal' })).rejects.toBeTruthy();
  });

  it('matches answers in order with the NUL framing, which carries no invoke id', async () => {
    const { session, sw } = setUp(nulFraming);
    const a = session.request({ type: 'MonitorStart', device: '2001' });
    const b = session.request({ type: 'RouteRegister', routingDevice: '3000' });
    await tick();
    sw.send({ type: 'MonitorStartResponse', monitorCrossRefId: 'M1' });
    sw.send({ type: 'RouteRegisterResponse', routeRegisterReqId: 'R9' });
    expect(await a).toMatchObject({ monitorCrossRefId: 'M1' });
    expect(await b).toMatchObject({ routeRegisterReqId: 'R9' });
  });

  it('cycles invoke ids within 0001–9998 and never reuses one still waiting', async () => {
    const { session, sw } = setUp();
    const first = session.request({ type: 'SystemStatus', status: 'normal' }); // 0001 stays pending
    for (let i = 0; i < 9997; i++) session.send({ type: 'SystemStatusResponse' });
    const next = session.request({ type: 'SystemStatus', status: 'normal' });
    await tick();
    const ids = sw.received.map((r) => r.invokeId);
    expect(ids[0]).toBe('0001');
    expect(ids[9997]).toBe('9998');
    expect(ids[9998]).toBe('0002'); // 0001 is skipped: still waiting
    expect(ids.every((id) => id !== '9999')).toBe(true);
    sw.send({ type: 'SystemStatusResponse' }, '0001');
    sw.send({ type: 'SystemStatusResponse' }, '0002');
    await Promise.all([first, next]);
  });
});
