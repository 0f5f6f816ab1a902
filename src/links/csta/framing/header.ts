/**
 * The 8-byte header framing: the de-facto way CSTA-XML (ECMA-323) travels over TCP, as Unify
 * OpenScape / HiPath, Alcatel-Lucent OmniPCX and others implement it; ECMA TR/88 ("Using CSTA for
 * SIP phone user agents") and the vendors' CSTA-XML interface guides describe it:
 *
 * ```
 *   byte 0   1   2   3   4   5   6   7   8 …
 *      0x00 0x00 [len BE] d   d   d   d   <?xml … document (UTF-8)
 * ```
 *
 * `len` is the whole frame, header included (so ≥ 8, ≤ 65535); `dddd` are ASCII digits giving
 * the invoke id that pairs a request with its response, `9999` for unsolicited messages.
 *
 * Decoding rules:
 * - Bytes are checked as soon as they arrive, in header order, so a peer that sends no header at
 *   all (an XML document, the NUL framing) is caught on its first byte, and the results for a
 *   stream do not depend on how it was cut into reads.
 * - A header that is not `00 00 len dddd` → `bad-header`; a length below 8 → `bad-length`. Both
 *   are fatal: nothing tells where the next frame starts, so the link must reset the connection.
 *   A fatal error is reported once; the decoder then discards whatever it is given.
 * - A well-formed header announcing more than `maxFrameBytes` (compared with `len`, header
 *   included) → `too-long`, NOT fatal: the header is sound, so the decoder skips the announced
 *   bytes as they arrive, without holding them, and carries on with the next frame. One oversized
 *   document costs one message, not the link.
 * - A frame announcing more than it sends leaves the decoder waiting (`buffered` shows it); one
 *   announcing less makes its tail the next header, which then fails as `bad-header`.
 */
import { RelaisError } from '../../../errors.js';
import { ByteQueue } from './byte-queue.js';
import { checkMaxFrameBytes, hex } from './limits.js';
import type { FrameDecoder, FrameResult, Framing, FramingError } from './types.js';

export const HEADER_BYTES = 8;
/** The length field is 16 bits and counts the header. */
export const MAX_HEADER_FRAME_BYTES = 0xffff;
export const MAX_HEADER_PAYLOAD_BYTES = MAX_HEADER_FRAME_BYTES - HEADER_BYTES;

const INVOKE_ID = /^[0-9]{4}$/;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LESS_THAN = 0x3c;

function fatal(code: FramingError['code'], message: string): FrameResult {
  return { ok: false, error: { code, message, fatal: true } };
}

/** The first problem in the `seen` leading bytes of a header, if any. */
function checkHeader(header: Buffer, seen: number): FrameResult | undefined {
  for (let i = 0; i < Math.min(seen, 2); i++) {
    if (header[i] === 0) continue;
    const hint =
      header[0] === LESS_THAN
        ? ': this looks like a bare XML document; does the switch use the nul framing?'
        : '';
    return fatal('bad-header', `header must start with 00 00, got ${hex(header.subarray(0, i + 1))}${hint}`);
  }
  if (seen >= 4) {
    const length = header.readUInt16BE(2);
    if (length < HEADER_BYTES) {
      return fatal('bad-length', `frame length ${length} is below the ${HEADER_BYTES}-byte header`);
    }
  }
  for (let i = 4; i < seen; i++) {
    const b = header[i] as number;
    if (b >= DIGIT_0 && b <= DIGIT_9) continue;
    return fatal('bad-header', `invoke id must be four ASCII digits, got ${hex(header.subarray(0, i + 1))}`);
  }
  return undefined;
}

class HeaderDecoder implements FrameDecoder {
  private readonly queue = new ByteQueue();
  private readonly header = Buffer.alloc(HEADER_BYTES);
  /** Bytes of a too-long frame still to be thrown away as they arrive. */
  private skipping = 0;
  private failed = false;

  constructor(private readonly maxFrameBytes: number) {}

  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): FrameResult[] {
    if (this.failed) return [];
    this.queue.push(chunk);
    const results: FrameResult[] = [];
    for (let result = this.next(); result !== undefined; result = this.next()) {
      results.push(result);
      if (!result.ok && result.error.fatal) {
        this.failed = true;
        this.queue.clear();
        break;
      }
    }
    return results;
  }

  /** The next complete frame or error in the queue, or undefined when more bytes are needed. */
  private next(): FrameResult | undefined {
    if (this.skipping > 0) {
      const n = Math.min(this.skipping, this.queue.length);
      this.queue.skip(n);
      this.skipping -= n;
      if (this.skipping > 0) return undefined;
    }
    const seen = Math.min(HEADER_BYTES, this.queue.length);
    if (seen === 0) return undefined;
    this.queue.peekInto(this.header, seen);
    const problem = checkHeader(this.header, seen);
    if (problem !== undefined || seen < HEADER_BYTES) return problem;
    const length = this.header.readUInt16BE(2);
    if (length > this.maxFrameBytes) return this.startSkipping(length);
    if (this.queue.length < length) return undefined;
    const invokeId = this.header.toString('latin1', 4, HEADER_BYTES);
    this.queue.skip(HEADER_BYTES);
    return { ok: true, frame: { invokeId, payload: this.queue.take(length - HEADER_BYTES) } };
  }

  private startSkipping(length: number): FrameResult {
    const invokeId = this.header.toString('latin1', 4, HEADER_BYTES);
    const now = Math.min(length, this.queue.length);
    this.queue.skip(now);
    this.skipping = length - now;
    const message = `frame of ${length} bytes (invoke id ${invokeId}) exceeds the ${this.maxFrameBytes}-byte limit; skipped`;
    return { ok: false, error: { code: 'too-long', message, fatal: false } };
  }
}

function encode(payload: Buffer, invokeId: string): Buffer {
  if (!INVOKE_ID.test(invokeId)) {
    throw new RelaisError(
      'RELAIS_ERR_VALIDATION',
      `header framing: invoke id must be four ASCII digits, got ${JSON.stringify(invokeId)}`,
      { details: { invokeId } },
    );
  }
  if (payload.length > MAX_HEADER_PAYLOAD_BYTES) {
    throw new RelaisError(
      'RELAIS_ERR_VALIDATION',
      `header framing: a document of ${payload.length} bytes exceeds the ${MAX_HEADER_PAYLOAD_BYTES}-byte maximum`,
      { details: { bytes: payload.length } },
    );
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt16BE(0, 0);
  frame.writeUInt16BE(HEADER_BYTES + payload.length, 2);
  frame.write(invokeId, 4, 'latin1');
  payload.copy(frame, HEADER_BYTES);
  return frame;
}

export const headerFraming: Framing = {
  name: 'header',
  createDecoder: ({ maxFrameBytes }) => new HeaderDecoder(checkMaxFrameBytes('header', maxFrameBytes)),
  encode,
};
