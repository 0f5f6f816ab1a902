/**
 * The NUL framing: each CSTA-XML document ends with one 0x00 byte and carries no header, so no
 * invoke id either (the session reads it from the document). Some switches and CSTA gateways use
 * it instead of the 8-byte header. A NUL cannot appear inside a well-formed XML document (XML 1.0
 * §2.2 excludes #x0), so the terminator is unambiguous.
 *
 * Decoding rules:
 * - Every NUL ends one document, so two NULs in a row give an empty payload: the framing hands
 *   over what the wire holds and the codec judges it.
 * - A document longer than `maxFrameBytes` (terminator not counted) → `too-long`, NOT fatal: the
 *   decoder reports it as soon as the limit is passed, drops bytes until the next NUL and carries
 *   on from there, so memory stays bounded and the link stays up.
 * - Whatever the chunking, the same stream gives the same results.
 */
import { RelaisError } from '../../../errors.js';
import { ByteQueue } from './byte-queue.js';
import { checkMaxFrameBytes } from './limits.js';
import type { FrameDecoder, FrameResult, Framing } from './types.js';

const NUL = 0x00;

class NulDecoder implements FrameDecoder {
  private readonly queue = new ByteQueue();
  /** Bytes at the front of the queue already known to hold no NUL. */
  private scanned = 0;
  /** Inside a too-long document: drop everything up to and including the next NUL. */
  private dropping = false;

  constructor(private readonly maxFrameBytes: number) {}

  get buffered(): number {
    return this.queue.length;
  }

  push(chunk: Buffer): FrameResult[] {
    let rest = chunk;
    if (this.dropping) {
      const end = rest.indexOf(NUL);
      if (end < 0) return [];
      this.dropping = false;
      rest = rest.subarray(end + 1);
    }
    this.queue.push(rest);
    const results: FrameResult[] = [];
    for (let result = this.next(); result !== undefined; result = this.next()) results.push(result);
    return results;
  }

  private next(): FrameResult | undefined {
    const end = this.queue.indexOf(NUL, this.scanned);
    if (end < 0) {
      if (this.queue.length <= this.maxFrameBytes) {
        this.scanned = this.queue.length;
        return undefined;
      }
      // The rest of this document arrives in later chunks: `push` drops it up to its NUL.
      this.queue.clear();
      this.scanned = 0;
      this.dropping = true;
      return this.tooLong();
    }
    this.scanned = 0;
    if (end > this.maxFrameBytes) {
      this.queue.skip(end + 1);
      return this.tooLong();
    }
    const payload = this.queue.take(end);
    this.queue.skip(1);
    return { ok: true, frame: { invokeId: undefined, payload } };
  }

  private tooLong(): FrameResult {
    const message = `document exceeds the ${this.maxFrameBytes}-byte limit before its NUL terminator; dropped`;
    return { ok: false, error: { code: 'too-long', message, fatal: false } };
  }
}

function encode(payload: Buffer, _invokeId: string): Buffer {
  const nul = payload.indexOf(NUL);
  if (nul >= 0) {
    throw new RelaisError(
      'RELAIS_ERR_VALIDATION',
      `nul framing: the document holds a NUL byte at offset ${nul}`,
      {
        details: { offset: nul },
      },
    );
  }
  const frame = Buffer.allocUnsafe(payload.length + 1);
  payload.copy(frame, 0);
  frame[payload.length] = NUL;
  return frame;
}

export const nulFraming: Framing = {
  name: 'nul',
  createDecoder: ({ maxFrameBytes }) => new NulDecoder(checkMaxFrameBytes('nul', maxFrameBytes)),
  encode,
};
