/**
 * Delay before the next reconnection attempt (after ioredis' `retryStrategy(times)`): doubling
 * from `initialMs` (attempt 0) up to `maxMs`, optionally with "full jitter" (a uniform draw in [0, delay),
 * AWS Architecture Blog, "Exponential Backoff And Jitter") so that many links restarting at once
 * after a switch failover do not reconnect in lockstep.
 */
import { RelaisError } from '../../errors.js';

/** `attempt` is 0 for the first retry, 1 for the next…; returns milliseconds to wait. */
export type Backoff = (attempt: number) => number;

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Full jitter: wait a uniform random part of the computed delay. */
  jitter: boolean;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}

export function exponentialBackoff(opts: BackoffOptions): Backoff {
  const { initialMs, maxMs, jitter, random = Math.random } = opts;
  if (!Number.isFinite(initialMs) || initialMs <= 0 || !Number.isFinite(maxMs) || maxMs < initialMs) {
    throw new RelaisError(
      'RELAIS_ERR_CONFIG_INVALID',
      `backoff needs 0 < initialMs ≤ maxMs, got initialMs=${initialMs} maxMs=${maxMs}`,
    );
  }
  // Past this many doublings the delay is maxMs anyway; also keeps 2 ** n finite.
  const doublingsToMax = Math.ceil(Math.log2(maxMs / initialMs));
  return (attempt) => {
    const doublings = Math.min(Math.max(0, Math.floor(attempt)), doublingsToMax);
    const delay = Math.min(maxMs, initialMs * 2 ** doublings);
    return jitter ? Math.floor(random() * delay) : delay;
  };
}
