/** The desktop hub with fake sockets: sequence numbers, resume, resync, and slow clients cut off. */
import { describe, expect, it } from 'vitest';
import { DesktopHub, HubConnection, type HubSocket } from '../../src/desktop/hub.js';

function socket(buffered = 0) {
  const sent: Array<{ seq: number; type: string; payload: Record<string, unknown> }> = [];
  const s: HubSocket & { sent: typeof sent; closedWith?: number; buffered: number } = {
    sent,
    buffered,
    get bufferedAmount() {
      return this.buffered;
    },
    send(data: string) {
      sent.push(JSON.parse(data));
    },
    close(code: number) {
      this.closedWith = code;
    },
  };
  return s;
}

describe('desktop hub', () => {
  it('numbers messages per channel and sends each to the channel followers only', () => {
    const hub = new DesktopHub({ keep: 10, maxBufferedBytes: 1000 });
    const a = socket();
    const b = socket();
    hub.subscribe(new HubConnection(a), 'device:1');
    hub.subscribe(new HubConnection(b), 'device:2');
    expect(hub.publish('device:1', 'call.offered', { n: 1 })).toBe(1);
    expect(hub.publish('device:1', 'call.state', { n: 2 })).toBe(2);
    expect(hub.publish('device:2', 'call.offered', { n: 3 })).toBe(1);
    expect(a.sent.map((m) => [m.type, m.seq])).toEqual([
      ['subscribed', 0],
      ['call.offered', 1],
      ['call.state', 2],
    ]);
    expect(b.sent.map((m) => m.seq)).toEqual([0, 1]);
  });

  it('replays what a resuming desktop missed, or tells it to resync when that is no longer kept', () => {
    const hub = new DesktopHub({ keep: 3, maxBufferedBytes: 1000 });
    for (let i = 1; i <= 5; i++) hub.publish('device:1', 'call.state', { i });
    const resumed = socket();
    hub.subscribe(new HubConnection(resumed), 'device:1', 3);
    expect(resumed.sent.map((m) => [m.type, m.seq])).toEqual([
      ['call.state', 4],
      ['call.state', 5],
      ['subscribed', 5],
    ]);
    const late = socket();
    hub.subscribe(new HubConnection(late), 'device:1', 1);
    expect(late.sent).toEqual([{ channel: 'device:1', seq: 5, type: 'resync', payload: { missedFrom: 2 } }]);
  });

  it('cuts off a connection that stops reading, without holding the others', () => {
    const slowOnes: string[][] = [];
    const hub = new DesktopHub({ keep: 10, maxBufferedBytes: 100, onSlowClient: (c) => slowOnes.push(c) });
    const slow = socket();
    const fast = socket();
    hub.subscribe(new HubConnection(slow), 'wallboard');
    hub.subscribe(new HubConnection(fast), 'wallboard');
    slow.buffered = 101;
    hub.publish('wallboard', 'stats', {});
    expect(slow.closedWith).toBe(4008);
    expect(slowOnes).toEqual([['wallboard']]);
    expect(hub.listeners('wallboard')).toBe(1);
    hub.publish('wallboard', 'stats', {});
    expect(fast.sent.filter((m) => m.type === 'stats')).toHaveLength(2);
  });
});
