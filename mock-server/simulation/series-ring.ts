import { METRICS, type MetricSample, type MetricValues } from '../../src/domain';

type SeriesMeta = Pick<
  MetricSample,
  'service' | 'environment' | 'group' | 'experimentId' | 'cohort' | 'version'
>;

/**
 * The history of one series in fixed-size typed arrays: a full ring overwrites its oldest sample,
 * so memory stays the same however long the server runs.
 */
export class SeriesRing {
  private readonly times: Float64Array;
  private readonly columns: Float64Array[];
  private next = 0;
  private size = 0;

  constructor(
    readonly meta: SeriesMeta,
    readonly capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.columns = METRICS.map(() => new Float64Array(capacity));
  }

  push(t: number, values: MetricValues): void {
    this.times[this.next] = t;
    METRICS.forEach((metric, i) => {
      const column = this.columns[i];
      if (column) column[this.next] = values[metric];
    });
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** epoch ms of the newest sample, or -Infinity when empty. */
  latestTime(): number {
    return this.size === 0
      ? -Infinity
      : (this.times[(this.next - 1 + this.capacity) % this.capacity] ?? -Infinity);
  }

  /** Samples at or after `since` (epoch ms), oldest first. */
  samples(since = -Infinity): MetricSample[] {
    const out: MetricSample[] = [];
    for (let k = 0; k < this.size; k++) {
      const index = (this.next - this.size + k + this.capacity) % this.capacity;
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
