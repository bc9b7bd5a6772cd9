import { METRICS, type MetricSample, type MetricValues } from '../../src/domain';

type SeriesMeta = Pick<
  MetricSample,
  'service' | 'environment' | 'group' | 'experimentId' | 'cohort' | 'version'
>;

/** Samples a new ring has room for before it grows (doubling, up to its capacity). */
const FIRST_ALLOCATION = 256;

/**
 * The history of one series in typed arrays: a full ring overwrites its oldest sample, so memory
 * stays the same however long the server runs. The arrays grow as samples come, so a short-lived
 * series (one experiment run's target and control) holds only what it recorded, not a full hour.
 */
export class SeriesRing {
  private times: Float64Array;
  private columns: Float64Array[];
  private next = 0;
  private size = 0;

  constructor(
    readonly meta: SeriesMeta,
    readonly capacity: number,
  ) {
    const first = Math.min(capacity, FIRST_ALLOCATION);
    this.times = new Float64Array(first);
    this.columns = METRICS.map(() => new Float64Array(first));
  }

  /** Allocated samples (at most `capacity`). */
  get allocated(): number {
    return this.times.length;
  }

  private grow(): void {
    const length = Math.min(this.capacity, this.times.length * 2);
    const reorder = (from: Float64Array) => {
      const to = new Float64Array(length);
      for (let k = 0; k < this.size; k++)
        to[k] = from[(this.next - this.size + k + from.length) % from.length] ?? 0;
      return to;
    };
    this.times = reorder(this.times);
    this.columns = this.columns.map(reorder);
    this.next = this.size;
  }

  push(t: number, values: MetricValues): void {
    if (this.size === this.times.length && this.size < this.capacity) this.grow();
    this.times[this.next] = t;
    METRICS.forEach((metric, i) => {
      const column = this.columns[i];
      if (column) column[this.next] = values[metric];
    });
    this.next = (this.next + 1) % this.times.length;
    this.size = Math.min(this.size + 1, this.times.length);
  }

  get length(): number {
    return this.size;
  }

  /** epoch ms of the newest sample, or -Infinity when empty. */
  latestTime(): number {
    return this.size === 0
      ? -Infinity
      : (this.times[(this.next - 1 + this.times.length) % this.times.length] ?? -Infinity);
  }

  /** Samples at or after `since` (epoch ms), oldest first. */
  samples(since = -Infinity): MetricSample[] {
    const out: MetricSample[] = [];
    for (let k = 0; k < this.size; k++) {
      const index = (this.next - this.size + k + this.times.length) % this.times.length;
      const t = this.times[index] ?? 0;
      if (t < since) continue;
      const values = {} as MetricValues;
      METRICS.forEach((metric, i) => {
        values[metric] = this.columns[i]?.[index] ?? 0;
      });
      out.push({ t, ...this.meta, values });
    }
    return out;
  }
}
