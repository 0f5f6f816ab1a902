/**
 * Latencies between a RouteRequest sent and its RouteSelect received, kept in a fixed ring of
 * Float64 samples (the most recent `capacity`), so a benchmark of millions of calls holds constant
 * memory. Percentiles sort a copy: cheap at the end of a run, not meant for every call.
 */
export interface LatencySummary {
  count: number;
  /** Samples currently held (≤ capacity); percentiles are computed over these. */
  held: number;
  mean: number;
  max: number;
  p50: number;
  p99: number;
  p999: number;
}

export class LatencyRing {
  private readonly samples: Float64Array;
  private total = 0;
  private sum = 0;
  private maximum = 0;

  constructor(capacity = 1 << 17) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.samples[this.total % this.samples.length] = ms;
    this.total++;
    this.sum += ms;
    if (ms > this.maximum) this.maximum = ms;
  }

  /** Nearest-rank percentile, `q` in (0, 1]; NaN when empty. */
  percentile(q: number): number {
    const held = Math.min(this.total, this.samples.length);
    if (held === 0) return Number.NaN;
    const sorted = this.samples.slice(0, held).sort();
    const rank = Math.min(held, Math.max(1, Math.ceil(q * held)));
    return sorted[rank - 1] ?? Number.NaN;
  }

  summary(): LatencySummary {
    const held = Math.min(this.total, this.samples.length);
    if (held === 0)
      return {
        count: 0,
        held: 0,
        mean: Number.NaN,
        max: Number.NaN,
        p50: Number.NaN,
        p99: Number.NaN,
        p999: Number.NaN,
      };
    const sorted = this.samples.slice(0, held).sort();
    const at = (q: number) => sorted[Math.min(held, Math.max(1, Math.ceil(q * held))) - 1] ?? Number.NaN;
    return {
      count: this.total,
      held,
      mean: this.sum / this.total,
      max: this.maximum,
      p50: at(0.5),
      p99: at(0.99),
      p999: at(0.999),
    };
  }

  reset(): void {
    this.total = 0;
    this.sum = 0;
    this.maximum = 0;
  }
}
