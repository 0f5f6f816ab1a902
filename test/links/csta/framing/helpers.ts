import type { FrameResult, Framing } from '../../../../src/links/csta/framing/types.js';

export interface Decoded {
  results: FrameResult[];
  /** `buffered` after each push. */
  buffered: number[];
}

/** Pushes `chunks` through a fresh decoder and collects everything it returned. */
export function decodeChunks(framing: Framing, chunks: Buffer[], maxFrameBytes = 65_535): Decoded {
  const decoder = framing.createDecoder({ maxFrameBytes });
  const results: FrameResult[] = [];
  const buffered: number[] = [];
  for (const chunk of chunks) {
    results.push(...decoder.push(chunk));
    buffered.push(decoder.buffered);
  }
  return { results, buffered };
}

/** Cuts `bytes` at the given positions (any order, out-of-range ones wrap). */
export function cut(bytes: Buffer, positions: readonly number[]): Buffer[] {
  const at = [...new Set(positions.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

/** Every way of cutting `bytes` in two, plus one byte at a time. */
export function* everySplit(bytes: Buffer): Generator<Buffer[]> {
  for (let p = 0; p <= bytes.length; p++) yield [bytes.subarray(0, p), bytes.subarray(p)];
  yield [...bytes].map((b) => Buffer.from([b]));
}

export function payloads(results: FrameResult[]): string[] {
  return results.map((r) => (r.ok ? r.frame.payload.toString('utf8') : `!${r.error.code}`));
}
