/**
 * The desktop hub: named channels (`device:4001`, `wallboard`) of numbered messages, pushed to
 * the WebSocket connections that follow them. Each message is serialised once, whoever reads it.
 *
 * - **Resumable**: a channel keeps its last `keep` messages; a desktop that reconnects says the
 *   last sequence number it saw and gets what it missed (or `resync` when that is too old).
 * - **Bounded**: a connection whose unsent bytes pass `maxBufferedBytes` is closed (4008) rather
 *   than buffered without end: one slow browser never holds memory or the call path; it
 *   reconnects and resumes.
 */

/** What the hub needs of a socket (the `ws` WebSocket has it). */
export interface HubSocket {
  send(data: string): void;
  readonly bufferedAmount: number;
  close(code: number, reason: string): void;
}

export interface HubOptions {
  /** Messages kept per channel for resuming. */
  keep: number;
  maxBufferedBytes: number;
  onSlowClient?: (channels: string[]) => void;
}

interface Channel {
  seq: number;
  ring: Array<{ seq: number; data: string }>;
  subscribers: Set<HubConnection>;
}

export class HubConnection {
  readonly channels = new Set<string>();
  closed = false;
  constructor(readonly socket: HubSocket) {}
}

export class DesktopHub {
  readonly #channels = new Map<string, Channel>();
  readonly #o: HubOptions;

  constructor(o: HubOptions) {
    this.#o = o;
  }

  #channel(name: string): Channel {
    let c = this.#channels.get(name);
    if (!c) {
      c = { seq: 0, ring: [], subscribers: new Set() };
      this.#channels.set(name, c);
    }
    return c;
  }

  /** Publishes to a channel; returns the message's sequence number. */
  publish(channel: string, type: string, payload: unknown): number {
    const c = this.#channel(channel);
    const seq = ++c.seq;
    const data = JSON.stringify({ channel, seq, type, payload });
    c.ring.push({ seq, data });
    if (c.ring.length > this.#o.keep) c.ring.shift();
    for (const conn of c.subscribers) this.#send(conn, data);
    return seq;
  }

  /**
   * Follows a channel. `after` is the last sequence number the client saw (resuming): the
   * messages after it are sent at once, or a `resync` when some are no longer kept.
   */
  subscribe(conn: HubConnection, channel: string, after?: number): void {
    const c = this.#channel(channel);
    c.subscribers.add(conn);
    conn.channels.add(channel);
    if (after === undefined) {
      this.#send(conn, JSON.stringify({ channel, seq: c.seq, type: 'subscribed', payload: {} }));
      return;
    }
    const oldest = c.ring[0]?.seq ?? c.seq + 1;
    if (after < oldest - 1) {
      this.#send(
        conn,
        JSON.stringify({ channel, seq: c.seq, type: 'resync', payload: { missedFrom: after + 1 } }),
      );
      return;
    }
    for (const m of c.ring) if (m.seq > after) this.#send(conn, m.data);
    this.#send(
      conn,
      JSON.stringify({ channel, seq: c.seq, type: 'subscribed', payload: { resumedFrom: after } }),
    );
  }

  /** Stops following every channel (the connection stays open, to follow others). */
  unsubscribeAll(conn: HubConnection): void {
    for (const name of conn.channels) this.#channels.get(name)?.subscribers.delete(conn);
    conn.channels.clear();
  }

  /** The connection is gone. */
  detach(conn: HubConnection): void {
    conn.closed = true;
    this.unsubscribeAll(conn);
  }

  /** Subscribers of a channel (for tests and metrics). */
  listeners(channel: string): number {
    return this.#channels.get(channel)?.subscribers.size ?? 0;
  }

  #send(conn: HubConnection, data: string): void {
    if (conn.closed) return;
    if (conn.socket.bufferedAmount > this.#o.maxBufferedBytes) {
      this.#o.onSlowClient?.([...conn.channels]);
      this.detach(conn);
      conn.socket.close(4008, 'too slow: reconnect and resume');
      return;
    }
    conn.socket.send(data);
  }
}
