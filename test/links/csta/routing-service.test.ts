import { describe, expect, it } from 'vitest';
import type { CstaMessage } from '../../../src/links/csta/messages.js';
import { RoutingService } from '../../../src/links/csta/routing-service.js';
import type { RouteDecision, RouteQuery, Router } from '../../../src/model/call.js';

function service(router: Router, opts: { fallback?: string; timeoutMs?: number; queueWaitMs?: number } = {}) {
  const sent: CstaMessage[] = [];
  const observed: RouteQuery[] = [];
  const answered: string[] = [];
  const s = new RoutingService({
    link: 'pbx',
    router,
    decisionTimeoutMs: opts.timeoutMs ?? 50,
    queueWaitMs: opts.queueWaitMs ?? 200,
    fallback: opts.fallback,
    send: (m) => sent.push(m),
    observe: (q) => observed.push(q),
    onAnswered: (r) => answered.push(r),
    onError: () => {},
  });
  return { s, sent, observed, answered };
}

const request: CstaMessage = {
  type: 'RouteRequest',
  crossRefId: 'X1',
  routeRegisterReqId: 'R1',
  currentRoute: { id: '0800123456' },
  callingDevice: { id: 'N<+33612345678>;displayNumber=Camille' },
  routedCall: { callId: 'C1', deviceId: '3900' },
};
const to =
  (device: string): Router =>
  (q) => ({ callId: q.callId, target: { kind: 'device', device }, priority: 0, reason: 'test' });
const settle = () => new Promise((r) => setTimeout(r, 0));

/** A router that queues every call; the test reserves an agent or not. */
function queueing() {
  const withdrawn: string[] = [];
  let assign: (a: { agentId: string; device: string }) => void = () => {};
  const router: Router = (q) => ({
    callId: q.callId,
    target: { kind: 'queue', queue: 'support', device: '3001' },
    priority: 0,
    reason: 'test',
    queued: {
      agent: new Promise((resolve) => {
        assign = resolve;
      }),
      withdraw: (why) => withdrawn.push(why),
    },
  });
  return { router, withdrawn, assign: (a: { agentId: string; device: string }) => assign(a) };
}

describe('CSTA routing service', () => {
  it('answers a RouteRequest with RouteSelect carrying the decision, after telling the core about the call', async () => {
    const t = service(to('3001'));
    t.s.handle(request);
    await settle();
    expect(t.observed).toMatchObject([
      { link: 'pbx', callId: 'C1', ani: '+33612345678', dnis: '0800123456', device: '3900' },
    ]);
    expect(t.sent).toEqual([
      {
        type: 'RouteSelect',
        crossRefId: 'X1',
        routeRegisterReqId: 'R1',
        routeSelected: '3001',
        routeUsedReq: false,
      },
    ]);
    expect(t.answered).toEqual(['selected']);
  });

  it('holds a queued call until an agent is reserved, then selects their device', async () => {
    const q = queueing();
    const t = service(q.router, { queueWaitMs: 1000 });
    t.s.handle(request);
    await settle();
    expect(t.sent).toEqual([]);
    q.assign({ agentId: 'alice', device: '4001' });
    await settle();
    expect(t.sent).toMatchObject([{ type: 'RouteSelect', crossRefId: 'X1', routeSelected: '4001' }]);
    expect(q.withdrawn).toEqual([]);
  });

  it("sends a queued call to its queue's device at once when no agent will come", async () => {
    const t = service(
      (q) => ({
        callId: q.callId,
        target: { kind: 'queue', queue: 'support', device: '3001' },
        priority: 0,
        reason: 'test',
        queued: { agent: Promise.resolve(undefined), withdraw: () => {} },
      }),
      { queueWaitMs: 10_000 },
    );
    t.s.handle(request);
    await settle();
    await settle();
    expect(t.sent).toMatchObject([{ type: 'RouteSelect', routeSelected: '3001' }]);
  });

  it("sends a queued call to its queue's device after queueWaitMs, taking it out of the queue", async () => {
    const q = queueing();
    const t = service(q.router, { queueWaitMs: 20 });
    t.s.handle(request);
    await new Promise((r) => setTimeout(r, 40));
    expect(t.sent).toMatchObject([{ type: 'RouteSelect', routeSelected: '3001' }]);
    expect(q.withdrawn).toEqual(['timeout']);
  });

  it('takes a queued call out of its queue when the switch ends the dialogue (caller hung up)', async () => {
    const q = queueing();
    const t = service(q.router, { queueWaitMs: 1000 });
    t.s.handle(request);
    await settle();
    t.s.handle({ type: 'RouteEnd', crossRefId: 'X1' });
    await settle();
    expect(q.withdrawn).toEqual(['abandoned']);
    q.assign({ agentId: 'alice', device: '4001' });
    await settle();
    expect(t.sent).toEqual([]);
  });

  it('answers with the fallback when the decision is late or fails, and with RouteEnd when there is none', async () => {
    const late = service(() => new Promise<RouteDecision>(() => {}), { fallback: '3999', timeoutMs: 20 });
    late.s.handle(request);
    await new Promise((r) => setTimeout(r, 40));
    expect(late.sent).toMatchObject([{ type: 'RouteSelect', routeSelected: '3999' }]);
    expect(late.answered).toEqual(['fallback']);

    const failing = service(() => Promise.reject(new Error('rules engine down')));
    failing.s.handle(request);
    await settle();
    expect(failing.sent).toEqual([
      { type: 'RouteEnd', crossRefId: 'X1', routeRegisterReqId: 'R1', errorValue: 'noRoute' },
    ]);
    expect(failing.answered).toEqual(['ended']);
  });

  it('on ReRoute, offers another destination than those tried, and ends when none is left', async () => {
    const t = service(to('3001'), { fallback: '3999' });
    t.s.handle(request);
    await settle();
    t.s.handle({ type: 'ReRoute', crossRefId: 'X1', routeRegisterReqId: 'R1' });
    await settle();
    t.s.handle({ type: 'ReRoute', crossRefId: 'X1', routeRegisterReqId: 'R1' });
    await settle();
    expect(t.sent.map((m) => (m.type === 'RouteSelect' ? m.routeSelected : m.type))).toEqual([
      '3001',
      '3999',
      'RouteEnd',
    ]);
    expect(t.s.openDialogues).toBe(0);
  });

  it('forgets a dialogue the switch ends, and answers a ReRoute for an unknown dialogue with RouteEnd', async () => {
    const t = service(to('3001'));
    t.s.handle(request);
    await settle();
    t.s.handle({ type: 'RouteEnd', crossRefId: 'X1' });
    expect(t.s.openDialogues).toBe(0);
    t.s.handle({ type: 'ReRoute', crossRefId: 'X1', routeRegisterReqId: 'R1' });
    expect(t.sent.at(-1)).toEqual({ type: 'RouteEnd', crossRefId: 'X1', routeRegisterReqId: 'R1' });
  });
});
