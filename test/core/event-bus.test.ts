import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../../src/core/event-bus.js';

type TestEvents = { ping: number; pong: { text: string } };

function makeBus() {
  const onError = vi.fn<(topic: string, err: unknown) => void>();
  return { bus: new EventBus<TestEvents>({ onError }), onError };
}

describe('EventBus', () => {
  it('delivers the payload to every handler of the topic, in subscription order, before emit returns', () => {
    const { bus } = makeBus();
    const seen: string[] = [];
    bus.on('ping', (n) => seen.push(`a${n}`));
    bus.on('ping', (n) => seen.push(`b${n}`));
    bus.on('pong', (p) => seen.push(p.text));
    bus.emit('ping', 1);
    expect(seen).toEqual(['a1', 'b1']);
    bus.emit('pong', { text: 'hi' });
    expect(seen).toEqual(['a1', 'b1', 'hi']);
  });

  it('does nothing when a topic has no handler', () => {
    const { bus, onError } = makeBus();
    expect(() => bus.emit('ping', 1)).not.toThrow();
    expect(onError).not.toHaveBeenCalled();
  });

  it('unsubscribes, idempotently, one subscription at a time', () => {
    const { bus } = makeBus();
    const handler = vi.fn();
    const off1 = bus.on('ping', handler);
    const off2 = bus.on('ping', handler);
    bus.emit('ping', 1);
    expect(handler).toHaveBeenCalledTimes(2);
    off1();
    off1();
    expect(bus.listenerCount('ping')).toBe(1);
    bus.emit('ping', 2);
    expect(handler).toHaveBeenCalledTimes(3);
    off2();
    expect(bus.listenerCount('ping')).toBe(0);
    bus.emit('ping', 3);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('reports a throwing handler and still calls the others', () => {
    const { bus, onError } = makeBus();
    const boom = new Error('boom');
    const after = vi.fn();
    bus.on('ping', () => {
      throw boom;
    });
    bus.on('ping', after);
    expect(() => bus.emit('ping', 7)).not.toThrow();
    expect(after).toHaveBeenCalledWith(7);
    expect(onError).toHaveBeenCalledExactlyOnceWith('ping', boom);
  });

  it('reports a rejecting async handler without making the emitter wait', async () => {
    const { bus, onError } = makeBus();
    const boom = new Error('later');
    const after = vi.fn();
    bus.on('pong', async () => {
      throw boom;
    });
    bus.on('pong', after);
    bus.emit('pong', { text: 'x' });
    expect(after).toHaveBeenCalledTimes(1);
    expect(onError).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(onError).toHaveBeenCalledExactlyOnceWith('pong', boom));
  });

  it('ignores async handlers that resolve', async () => {
    const { bus, onError } = makeBus();
    bus.on('ping', async () => undefined);
    bus.emit('ping', 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(onError).not.toHaveBeenCalled();
  });

  it('survives an onError that throws', () => {
    const bus = new EventBus<TestEvents>({
      onError: () => {
        throw new Error('reporter down');
      },
    });
    const after = vi.fn();
    bus.on('ping', () => {
      throw new Error('boom');
    });
    bus.on('ping', after);
    expect(() => bus.emit('ping', 1)).not.toThrow();
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('does not change who receives an emit when a handler (un)subscribes during it', () => {
    const { bus } = makeBus();
    const late = vi.fn();
    const second = vi.fn();
    let offSecond = () => {};
    bus.on('ping', () => {
      offSecond();
      bus.on('ping', late);
    });
    offSecond = bus.on('ping', second);
    bus.emit('ping', 1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(late).not.toHaveBeenCalled();
    bus.emit('ping', 2);
    expect(second).toHaveBeenCalledTimes(1);
    expect(late).toHaveBeenCalledWith(2);
  });

  it('allows a handler to emit on another topic re-entrantly', () => {
    const { bus } = makeBus();
    const seen: string[] = [];
    bus.on('ping', (n) => bus.emit('pong', { text: `from ${n}` }));
    bus.on('pong', (p) => seen.push(p.text));
    bus.emit('ping', 3);
    expect(seen).toEqual(['from 3']);
  });

  it('is typed by topic', () => {
    const { bus } = makeBus();
    // @ts-expect-error: wrong payload type for the topic
    bus.emit('ping', 'one');
    // @ts-expect-error: unknown topic
    bus.on('pang', () => {});
    expect(true).toBe(true);
  });
});
