import { describe, expect, it } from 'vitest';
import { exponentialBackoff } from '../../../src/links/transport/backoff.js';

describe('exponentialBackoff', () => {
  it('doubles from initialMs on the first retry up to maxMs', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 1_000, jitter: false });
    expect([0, 1, 2, 3, 4, 5, 50, 10_000, Number.MAX_SAFE_INTEGER].map(backoff)).toEqual([
      100, 200, 400, 800, 1_000, 1_000, 1_000, 1_000, 1_000,
    ]);
  });

  it('treats negative or fractional attempts as the nearest sensible one', () => {
    const backoff = exponentialBackoff({ initialMs: 100, maxMs: 1_000, jitter: false });
    expect([-3, 1.7].map(backoff)).toEqual([100, 200]);
  });

  it('draws a uniform part of the delay with full jitter', () => {
    const draws = [0, 0.5, 0.999];
    const backoff = exponentialBackoff({
      initialMs: 100,
      maxMs: 1_000,
      jitter: true,
      random: () => draws.shift() ?? 0,
    });
    expect([backoff(3), backoff(3), backoff(3)]).toEqual([0, 400, 799]);
  });

  it('refuses bounds that make no sense', () => {
    for (const [initialMs, maxMs] of [
      [0, 100],
      [200, 100],
      [100, Number.POSITIVE_INFINITY],
    ] as const) {
      expect(() => exponentialBackoff({ initialMs, maxMs, jitter: false })).toThrow(
        expect.objectContaining({ code: 'RELAIS_ERR_CONFIG_INVALID' }),
      );
    }
  });
});
