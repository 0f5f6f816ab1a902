/** Latency percentiles and rates. Latencies are in microseconds unless a caller says otherwise. */

export interface LatencyStats {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Sorts a copy; `keep` selects the samples (all when absent). */
export function latencyStats(latencies: Float64Array, keep?: (i: number) => boolean): LatencyStats {
  const picked = keep ? latencies.filter((_, i) => keep(i)) : latencies.slice();
  picked.sort();
  const n = picked.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += picked[i] as number;
  return {
    count: n,
    p50: percentile(picked, 0.5),
    p90: percentile(picked, 0.9),
    p99: percentile(picked, 0.99),
    p999: percentile(picked, 0.999),
    max: n > 0 ? (picked[n - 1] as number) : 0,
    mean: n > 0 ? sum / n : 0,
  };
}

/** Nearest-rank percentile of sorted samples. */
function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : 0;
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
