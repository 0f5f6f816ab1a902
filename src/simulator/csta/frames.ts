/**
 * CSTA XML over TCP, as switches implement it (ECMA-323 leaves the transport open; the 8-byte header
 * below is the de-facto form of Unify, Alcatel and others):
 *
 *   0x00 0x00 | uint16 BE total length (header included) | 4 ASCII digits: invoke id | XML document
 *
 * A request from the application carries an invoke id 0000–9998 and the switch answers with the
 * same id; whatever the switch sends unsolicited (events, RouteRequest, SystemStatus…) uses 9999.
 * Some switches instead end each document with a NUL byte and carry no invoke id.
 *
 * This module is the simulator's own splitter (it must not share code with Relais's framing, so that
 * it can catch its bugs).
 */

export type Framing = 'header' | 'nul';

export const HEADER_BYTES = 8;
/** Invoke id of every message the switch sends on its own initiative. */
export const UNSOLICITED_INVOKE_ID = '9999';
/** The header's length field is 16 bits and counts the header itself. */
export const MAX_HEADER_FRAME_BYTES = 0xffff;

export interface ReceivedFrame {
  kind: 'frame';
  /** Four digits with the header framing; undefined with the NUL framing. */
  invokeId: string | undefined;
  payload: Buffer;
}

export interface FrameError {
  kind: 'error';
  code: 'bad-header' | 'bad-length' | 'too-long';
  message: string;
  /** The stream cannot be resynchronised: the connection has to go. */
  fatal: boolean;
}

export type SplitResult = ReceivedFrame | FrameError;

/** Wraps one document for the wire. `invokeId` must be four digits. */
export function encodeFrame(framing: Framing, payload: Buffer, invokeId: string): Buffer {
  if (framing === 'nul') return Buffer.concat([payload, Buffer.from([0])]);
  if (!/^[0-9]{4}$/.test(invokeId)) throw new RangeError(`invoke id must be four digits, got "${invokeId}"`);
  const total = HEADER_BYTES + payload.length;
  if (total > MAX_HEADER_FRAME_BYTES)
    throw new RangeError(`frame of ${total} bytes exceeds the 16-bit length`);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(total, 2);
  header.write(invokeId, 4, 'ascii');
  return Buffer.concat([header, payload]);
}

/** Cuts frames out of a byte stream, whatever the chunk boundaries. */
export class FrameSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private broken = false;

  constructor(
    private readonly framing: Framing,
    private readonly maxFrameBytes: number,
  ) {}

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Buffer): SplitResult[] {
    if (this.broken) return [];
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return this.framing === 'nul' ? this.splitNul() : this.splitHeader();
  }

  private splitHeader(): SplitResult[] {
    const out: SplitResult[] = [];
    while (this.pending.length >= HEADER_BYTES) {
      const p = this.pending;
      const invokeId = p.toString('ascii', 4, 8);
      if (p[0] !== 0 || p[1] !== 0 || !/^[0-9]{4}$/.test(invokeId)) {
        out.push(this.fail('bad-header', `bad frame header ${p.subarray(0, HEADER_BYTES).toString('hex')}`));
        break;
      }
      const total = p.readUInt16BE(2);
      if (total < HEADER_BYTES) {
        out.push(this.fail('bad-length', `frame length ${total} is below the header size`));
        break;
      }
      if (total > this.maxFrameBytes) {
        out.push(this.fail('too-long', `frame of ${total} bytes exceeds ${this.maxFrameBytes}`));
        break;
      }
      if (p.length < total) break;
      out.push({ kind: 'frame', invokeId, payload: Buffer.from(p.subarray(HEADER_BYTES, total)) });
      this.pending = p.subarray(total);
    }
    return out;
  }

  private splitNul(): SplitResult[] {
    const out: SplitResult[] = [];
    for (;;) {
      const end = this.pending.indexOf(0);
      if (end < 0) {
        if (this.pending.length > this.maxFrameBytes) {
          out.push(this.fail('too-long', `no NUL within ${this.maxFrameBytes} bytes`));
        }
        break;
      }
      const payload = Buffer.from(this.pending.subarray(0, end));
      this.pending = this.pending.subarray(end + 1);
      // Empty documents (a NUL keepalive, or CR/LF between documents) carry nothing.
      if (payload.toString('utf8').trim() !== '') out.push({ kind: 'frame', invokeId: undefined, payload });
    }
    return out;
  }

  private fail(code: FrameError['code'], message: string): FrameError {
    this.broken = true;
    this.pending = Buffer.alloc(0);
    return { kind: 'error', code, message, fatal: true };
  }
}
