import { RelaisError } from '../../../errors.js';

/** A decoder's frame limit is a positive whole number of bytes; anything else is a wiring mistake. */
export function checkMaxFrameBytes(framing: string, maxFrameBytes: number): number {
  if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1) {
    throw new RelaisError(
      'RELAIS_ERR_VALIDATION',
      `${framing} framing: maxFrameBytes must be a positive integer, got ${maxFrameBytes}`,
      { details: { maxFrameBytes } },
    );
  }
  return maxFrameBytes;
}

/** `3c 3f 78` — how a few raw bytes appear in an error message. */
export function hex(bytes: Buffer): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
