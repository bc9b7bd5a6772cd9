import {
  METRICS,
  seriesKey,
  type Environment,
  type Group,
  type MetricSample,
  type MetricValues,
} from '../../src/domain';
import { RingBuffer } from '../../src/domain/ring-buffer';

/** How much history each series keeps, in ms (1 h). */
export const HISTORY_MS = 60 * 60_000;
/**
 * Series of single experiment runs (target, control) kept at most: a game day that cycles
 * experiments all day starts new ones every few minutes; the oldest go first.
 */
export const MAX_EXPERIMENT_SERIES = 64;

interface HistoryQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  cohort?: 'on' | 'off';
  version?: 'stable' | 'canary';
  /** epoch ms: only samples at or after it */
  since?: number;
}

type SeriesMeta = Pick<
  MetricSample,
  'service' | 'environment' | 'group' | 'experimentId' | 'cohort' | 'version'
>;

/** One series: what names it, and its samples (one column per metric, in METRICS order). */
interface Series {
  meta: SeriesMeta;
  ring: RingBuffer;
}

/**
 * Every series' last hour, bounded: a ring per series, series unseen for an hour are dropped, and
 * at most MAX_EXPERIMENT_SERIES series of experiment runs are kept.
 */
export class MetricHistory {
  private readonly series = new Map<string, Series>();
  private readonly row: number[] = new Array<number>(METRICS.length);
  private readonly capacity: number;

  constructor(tickMs: number) {
    this.capacity = Math.ceil(HISTORY_MS / tickMs) + 1;
  }

  record(samples: readonly MetricSample[], now: number): void {
    for (const sample of samples) {
      const key = seriesKey(sample);
      let series = this.series.get(key);
      if (!series) {
        const { service, environment, group, experimentId, cohort, version } = sample;
        const meta = {
          service,
          environment,
          group,
          ...(experimentId ? { experimentId } : {}),
          ...(cohort ? { cohort } : {}),
          ...(version ? { version } : {}),
        };
        series = { meta, ring: new RingBuffer(METRICS.length, this.capacity, HISTORY_MS) };
        this.series.set(key, series);
      }
      const newest = series.ring.newestTime();
      if (newest !== null && sample.t < newest) continue;
      METRICS.forEach((metric, i) => (this.row[i] = sample.values[metric]));
      series.ring.push(sample.t, this.row);
    }
    let experimentSeries: [string, Series][] = [];
    for (const [key, series] of this.series) {
      if (now - latestTime(series) > HISTORY_MS) this.series.delete(key);
      else if (series.meta.experimentId) experimentSeries.push([key, series]);
    }
    if (experimentSeries.length > MAX_EXPERIMENT_SERIES) {
      experimentSeries = experimentSeries.sort(([, a], [, b]) => latestTime(a) - latestTime(b));
      for (const [key] of experimentSeries.slice(0, -MAX_EXPERIMENT_SERIES))
        this.series.delete(key);
    }
  }

  /** Samples allocated over every series (memory, in samples). */
  allocatedSamples(): number {
    let total = 0;
    for (const { ring } of this.series.values()) total += ring.storageSize;
    return total;
  }

  query(query: HistoryQuery): MetricSample[] {
    const key = seriesKey(query);
    const series = this.series.get(key);
    if (!series) return [];
    const { meta, ring } = series;
    const out: MetricSample[] = [];
    for (let i = ring.lowerBound(query.since ?? -Infinity); i < ring.length; i++) {
      const values = {} as MetricValues;
      METRICS.forEach((metric, c) => (values[metric] = ring.valueAt(i, c)));
      out.push({ t: ring.timeAt(i), ...meta, values });
    }
    return out;
  }

  seriesCount(): number {
    return this.series.size;
  }
}

const latestTime = (series: Series): number => series.ring.newestTime() ?? -Infinity;
