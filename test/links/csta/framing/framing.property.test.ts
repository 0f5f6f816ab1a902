/**
 * Property and fuzz tests for both framings. 2,000 runs per property by default; with
 * RELAIS_LONG_TESTS=1, 250,000 per property, over 1,000,000 inputs in all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerFraming } from '../../../../src/links/csta/framing/header.js';
import { nulFraming } from '../../../../src/links/csta/framing/nul.js';
import type { FrameResult, Framing } from '../../../../src/links/csta/framing/types.js';
import { cut, decodeChunks } from './helpers.js';

const LONG = process.env.RELAIS_LONG_TESTS === '1';
const PROPERTIES = 4;
const RUNS_PER_PROPERTY = LONG ? 250_000 : 2_000;
/** Long runs are cut into batches so that no test blocks the worker long enough to miss Vitest's calls. */
const BATCHES = LONG ? 10 : 1;
if (LONG && RUNS_PER_PROPERTY * PROPERTIES < 1_000_000) {
  throw new Error('long mode must try 1,000,000 inputs');
}

/** One `it` per batch, each checking `property` on a fresh random sample. */
function itHolds<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>): void {
  for (let batch = 1; batch <= BATCHES; batch++) {
    const title = BATCHES === 1 ? name : `${name} (${batch}/${BATCHES})`;
    it(title, async () => {
      // Let the worker answer Vitest's messages between batches: fast-check runs synchronously.
      await new Promise((resolve) => setImmediate(resolve));
      fc.assert(property, { numRuns: RUNS_PER_PROPERTY / BATCHES });
    }, 600_000);
  }
}

const invokeId = fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0'));
/** Raw bytes or text (every Unicode code point, so 1- to 4-byte UTF-8). */
const anyPayload = fc.oneof(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => Buffer.from(s, 'utf8')),
);
const nulFreePayload = fc.oneof(
  fc.uint8Array({ min: 1, max: 255, maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.string({ unit: 'binary', maxLength: 80 }).map((s) => Buffer.from(s.replaceAll('\0', ''), 'utf8')),
);
const cutPoints = fc.array(fc.nat(), { maxLength: 30 });

/** A stream built to reach every branch: good frames, lying lengths, headers of any value, noise. */
const headerishStream = fc
  .array(
    fc.oneof(
      fc.tuple(anyPayload, invokeId).map(([p, id]) => headerFraming.encode(p, id)),
      fc.tuple(fc.integer({ min: 0, max: 0xffff }), invokeId, anyPayload).map(([len, id, p]) => {
        const f = headerFraming.encode(p, id);
        f.writeUInt16BE(len, 2);
        return f;
      }),
      fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a)),
      fc.constant(Buffer.alloc(3)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));
const nulishStream = fc
  .array(
    fc.oneof(
      anyPayload,
      fc.constant(Buffer.alloc(1)),
      fc.uint8Array({ min: 0, max: 3, maxLength: 20 }).map((a) => Buffer.from(a)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => Buffer.concat(parts));
const maxFrameBytes = fc.oneof(fc.integer({ min: 1, max: 400 }), fc.constant(65_535));

function payloadBytes(results: FrameResult[]): number {
  return results.reduce((n, r) => n + (r.ok ? r.frame.payload.length : 0), 0);
}

/** What must hold for any input: no throw, no invented bytes, bounded memory, chunking-blind results. */
function checkArbitraryStream(framing: Framing, stream: Buffer, cuts: number[], max: number, held: number) {
  const whole = decodeChunks(framing, [stream], max);
  const split = decodeChunks(framing, cut(stream, cuts), max);
  expect(split.results).toEqual(whole.results);
  expect(payloadBytes(split.results)).toBeLessThanOrEqual(stream.length);
  for (const b of split.buffered) expect(b).toBeLessThanOrEqual(Math.min(held, stream.length));
  const fatal = split.results.findIndex((r) => !r.ok && r.error.fatal);
  expect(fatal === -1 || fatal === split.results.length - 1).toBe(true);
}

describe('header framing properties', () => {
  itHolds(
    'decode(encode(frames)) gives back exactly the payloads and invoke ids, for any chunking',
    fc.property(fc.array(fc.tuple(anyPayload, invokeId), { maxLength: 20 }), cutPoints, (frames, cuts) => {
      const stream = Buffer.concat(frames.map(([p, id]) => headerFraming.encode(p, id)));
      const { results, buffered } = decodeChunks(headerFraming, cut(stream, cuts));
      expect(results).toEqual(
        frames.map(([payload, id]) => ({ ok: true, frame: { invokeId: id, payload } })),
      );
      expect(buffered.at(-1)).toBe(0);
    }),
  );

  itHolds(
    'never throws on arbitrary bytes, never returns more than it got, and holds less than one frame',
    fc.property(headerishStream, cutPoints, maxFrameBytes, (stream, cuts, max) =>
      // At most a header's 7 bytes, or a frame within the limit minus its last byte.
      checkArbitraryStream(headerFraming, stream, cuts, max, Math.max(7, max - 1)),
    ),
  );
});

describe('nul framing properties', () => {
  itHolds(
    'decode(encode(documents)) gives back exactly the documents, for any chunking',
    fc.property(fc.array(nulFreePayload, { maxLength: 20 }), cutPoints, (docs, cuts) => {
      const stream = Buffer.concat(docs.map((d) => nulFraming.encode(d, '9999')));
      const { results, buffered } = decodeChunks(nulFraming, cut(stream, cuts));
      expect(results).toEqual(docs.map((payload) => ({ ok: true, frame: { invokeId: undefined, payload } })));
      expect(buffered.at(-1)).toBe(0);
    }),
  );

  itHolds(
    'never throws on arbitrary bytes, never returns more than it got, and holds at most maxFrameBytes',
    fc.property(nulishStream, cutPoints, maxFrameBytes, (stream, cuts, max) =>
      checkArbitraryStream(nulFraming, stream, cuts, max, max),
    ),
  );
});
