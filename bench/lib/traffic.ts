/**
 * Which numbers are looked up, in which order. Sequences are built before a phase starts, so the
 * timed loop does nothing but look up.
 *
 * Production traffic is skewed: a hot set (10% of the numbers) receives 90% of the calls. Of all
 * lookups 80% are numbers of a customer and 20% unknown numbers, in the hot set and in the tail alike.
 * Cold numbers are set aside first: the realistic mix never draws them, so they are never seen
 * before the cold phases look them up.
 */
import type { Population } from './population.js';
import { createRng, type Rng, randomInt, shuffle } from './rng.js';

export const HOT_FRACTION = 0.1;
export const HOT_TRAFFIC = 0.9;
export const KNOWN_TRAFFIC = 0.8;

export interface Sequence {
  numbers: string[];
  /** 1 when numbers[i] belongs to a customer. */
  known: Uint8Array;
}

interface Pool {
  hot: string[];
  tail: string[];
  cold: string[];
}

export interface Traffic {
  known: Pool;
  unknown: Pool;
}

export function buildTraffic(pop: Population, coldPerKind: number, seed: number): Traffic {
  const rng = createRng(seed);
  return { known: split(rng, pop.known, coldPerKind), unknown: split(rng, pop.unknown, coldPerKind) };
}

function split(rng: Rng, numbers: readonly string[], coldWanted: number): Pool {
  const all = shuffle(rng, [...numbers]);
  // Never more than a quarter of a pool goes to the cold phases (small populations).
  const cold = all.splice(all.length - Math.min(coldWanted, Math.floor(all.length / 4)));
  const hotCount = Math.max(1, Math.round(all.length * HOT_FRACTION));
  return { hot: all.slice(0, hotCount), tail: all.slice(hotCount), cold };
}

/**
 * Disjoint sequences of never-seen numbers, half known, half unknown, in random order: one per
 * requested length, shrunk in proportion when the cold pools are too small.
 */
export function coldSequences(t: Traffic, lengths: readonly number[], seed: number): Sequence[] {
  const wanted = lengths.reduce((a, b) => a + Math.ceil(b / 2), 0);
  const available = Math.min(t.known.cold.length, t.unknown.cold.length);
  const scale = Math.min(1, available / Math.max(1, wanted));
  const rng = createRng(seed);
  let from = 0;
  return lengths.map((length) => {
    const half = Math.floor((length / 2) * scale);
    const slice = (pool: Pool) => pool.cold.slice(from, from + half);
    const entries = [
      ...slice(t.known).map((n) => [n, 1] as const),
      ...slice(t.unknown).map((n) => [n, 0] as const),
    ];
    from += half;
    return toSequence(shuffle(rng, entries));
  });
}

/** The production mix: hot set or tail, then known or unknown. */
export function mixedSequence(t: Traffic, count: number, seed: number): Sequence {
  return drawSequence(count, seed, (rng) => (rng() < HOT_TRAFFIC ? 'hot' : 'tail'), t);
}

/** Only hot-set numbers: after warm-up every one of them is answered from the cache. */
export function hotSequence(t: Traffic, count: number, seed: number): Sequence {
  return drawSequence(count, seed, () => 'hot', t);
}

function drawSequence(count: number, seed: number, tier: (rng: Rng) => 'hot' | 'tail', t: Traffic): Sequence {
  const rng = createRng(seed);
  const numbers = new Array<string>(count);
  const known = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const isKnown = rng() < KNOWN_TRAFFIC;
    const pool = isKnown ? t.known : t.unknown;
    const from = pool[tier(rng)];
    numbers[i] = from[randomInt(rng, from.length)] as string;
    known[i] = isKnown ? 1 : 0;
  }
  return { numbers, known };
}

function toSequence(entries: ReadonlyArray<readonly [string, number]>): Sequence {
  return {
    numbers: entries.map((e) => e[0]),
    known: Uint8Array.from(entries, (e) => e[1]),
  };
}

/** Distinct numbers the mix can draw (hot set and tail, known and unknown). */
export function universeSize(t: Traffic): number {
  return t.known.hot.length + t.known.tail.length + t.unknown.hot.length + t.unknown.tail.length;
}

export function hotSetSize(t: Traffic): number {
  return t.known.hot.length + t.unknown.hot.length;
}
