/**
 * The CTI servers connected to the switch, and the faults that act on all of them at once
 * (raw bytes, half a frame then silence, no more reading, abrupt or gentle disconnection).
 */
import type { Socket } from 'node:net';
import { ClientConnection } from './connection.js';
import { type FrameError, type Framing, type ReceivedFrame, UNSOLICITED_INVOKE_ID } from './frames.js';
import type { Timers } from './timers.js';

export interface ClientHooks {
  frame(conn: ClientConnection, frame: ReceivedFrame): void;
  framingError(conn: ClientConnection, error: FrameError): void;
  opened(conn: ClientConnection): void;
  closed(conn: ClientConnection): void;
}

export class ClientHub {
  private readonly connections = new Map<number, ClientConnection>();
  private nextId = 1;
  private readingPaused = false;

  constructor(
    private readonly framing: Framing,
    private readonly maxFrameBytes: number,
    private readonly hooks: ClientHooks,
  ) {}

  adopt(socket: Socket): ClientConnection {
    const conn = new ClientConnection(this.nextId++, socket, this.framing, this.maxFrameBytes, {
      frame: (c, f) => this.hooks.frame(c, f),
      framingError: (c, e) => this.hooks.framingError(c, e),
      closed: (c) => {
        this.connections.delete(c.id);
        this.hooks.closed(c);
      },
    });
    this.connections.set(conn.id, conn);
    if (this.readingPaused) conn.pauseReading();
    this.hooks.opened(conn);
    return conn;
  }

  get list(): ClientConnection[] {
    return [...this.connections.values()];
  }

  /** Sends an unsolicited document (invoke id 9999) to every client. */
  broadcast(xml: string): void {
    for (const conn of this.connections.values()) conn.send(xml, UNSOLICITED_INVOKE_ID);
  }

  /** Ends every application session (switch restart). */
  clearSessions(): void {
    for (const conn of this.connections.values()) {
      conn.session?.stopTimer();
      conn.session = undefined;
    }
  }

  /** Destroys every socket at once. */
  destroyAll(): void {
    for (const conn of this.connections.values()) conn.destroy();
  }

  /** Half-closes every socket so its last bytes get out, and destroys what is left after `graceMs`. */
  closeGently(timers: Timers, graceMs: number): void {
    for (const conn of this.connections.values()) {
      conn.end();
      timers.after(graceMs, () => conn.destroy());
    }
  }

  sendRaw(bytes: Buffer): void {
    for (const conn of this.connections.values()) conn.writeRaw(bytes);
  }

  stallAfterHalf(frame: Buffer): void {
    for (const conn of this.connections.values()) conn.stallAfterHalf(frame);
  }

  unstall(): void {
    for (const conn of this.connections.values()) conn.unstall();
  }

  /** Stops reading from every client, present and future. */
  pauseReading(): void {
    this.readingPaused = true;
    for (const conn of this.connections.values()) conn.pauseReading();
  }

  resumeReading(): void {
    this.readingPaused = false;
    for (const conn of this.connections.values()) conn.resumeReading();
  }
}
