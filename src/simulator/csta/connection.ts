/**
 * One client connection (a CTI server such as Relais) over TCP or TLS: cuts frames out of the
 * byte stream, writes framed documents, and carries the fault switches that act on one socket
 * (stall after half a frame, stop reading).
 */
import type { Socket } from 'node:net';
import { encodeFrame, type FrameError, FrameSplitter, type Framing, type ReceivedFrame } from './frames.js';

export interface ConnectionHandlers {
  frame(conn: ClientConnection, frame: ReceivedFrame): void;
  framingError(conn: ClientConnection, error: FrameError): void;
  closed(conn: ClientConnection): void;
}

/** ECMA-354 application session held by a connection. */
export interface SessionState {
  id: string;
  durationSec: number;
  stopTimer(): void;
}

export class ClientConnection {
  readonly remoteAddress: string;
  session: SessionState | undefined;
  private readonly splitter: FrameSplitter;
  /** Frames held back while the connection is stalled (sendHalfFrameAndStall). */
  private held: Buffer[] | undefined;
  private closed = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly framing: Framing,
    maxFrameBytes: number,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.splitter = new FrameSplitter(framing, maxFrameBytes);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    // A reset by the peer is an ordinary end of connection for a switch.
    socket.on('error', () => {});
    socket.on('close', () => this.onClose());
  }

  get open(): boolean {
    return !this.closed;
  }

  get stalled(): boolean {
    return this.held !== undefined;
  }

  /** Frames and writes one document; `invokeId` is ignored by the NUL framing. */
  send(xml: string, invokeId: string): void {
    this.write(encodeFrame(this.framing, Buffer.from(xml, 'utf8'), invokeId));
  }

  /** Writes bytes as they are (fault injection), even while stalled. */
  writeRaw(bytes: Buffer): void {
    if (!this.closed) this.socket.write(bytes);
  }

  /** Writes the first half of `frame`, then holds every later byte until unstall(). */
  stallAfterHalf(frame: Buffer): void {
    if (this.closed || this.held) return;
    const half = Math.max(1, Math.floor(frame.length / 2));
    this.socket.write(frame.subarray(0, half));
    this.held = [frame.subarray(half)];
  }

  /** Sends the rest of the stalled frame and everything held since. */
  unstall(): void {
    const held = this.held;
    this.held = undefined;
    for (const b of held ?? []) this.write(b);
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  /** Half-closes after the bytes already written (those held by a stall are dropped). */
  end(): void {
    this.held = undefined;
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private write(bytes: Buffer): void {
    if (this.closed) return;
    if (this.held) this.held.push(bytes);
    else this.socket.write(bytes);
  }

  private onData(chunk: Buffer): void {
    for (const result of this.splitter.push(chunk)) {
      if (result.kind === 'frame') this.handlers.frame(this, result);
      else {
        this.handlers.framingError(this, result);
        if (result.fatal) this.socket.destroy();
      }
      if (this.closed) return;
    }
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.session?.stopTimer();
    this.held = undefined;
    this.handlers.closed(this);
  }
}
