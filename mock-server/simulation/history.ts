import { seriesKey, type Environment, type Group, type MetricSample } from '../../src/domain';
import { SeriesRing } from './series-ring';

/** How much history each series keeps, in ms (1 h). */
export const HISTORY_MS = 60 * 60_000;
/**
 * Series of single experiment runs (target, control) kept at most: a game day that cycles
 * experiments all day starts new ones every few minutes; the oldest go first.
 */
export const MAX_EXPERIMENT_SERIES = 64;

export interface HistoryQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  cohort?: 'on' | 'off';
  version?: 'stable' | 'canary';
  /** epoch ms: only samples at or after it */
  since?: number;
}

/**
 * Every series' last hour, bounded: a ring per series, series unseen for an hour are dropped, and
 * at most MAX_EXPERIMENT_SERIES series of experiment runs are kept.
 */
export class MetricHistory {
  private readonly series = new Map<string, SeriesRing>();
  private readonly capacity: number;

  constructor(tickMs: number) {
    this.capacity = Math.ceil(HISTORY_MS / tickMs) + 1;
  }

  record(samples: readonly MetricSample[], now: number): void {
    for (const sample of samples) {
      const key = seriesKey(sample);
      let ring = this.series.get(key);
      if (!ring) {
        const { service, environment, group, experimentId, cohort, version } = sample;
        const meta = {
          service,
          environment,
          group,
          ...(experimentId ? { experimentId } : {}),
          ...(cohort ? { cohort } : {}),
          ...(version ? { version } : {}),
        };
        ring = new SeriesRing(meta, this.capacity);
        this.series.set(key, ring);
      }
      ring.push(sample.t, sample.values);
    }
    let experimentSeries: [string, SeriesRing][] = [];
    for (const [key, ring] of this.series) {
      if (now - ring.latestTime() > HISTORY_MS) this.series.delete(key);
      else if (ring.meta.experimentId) experimentSeries.push([key, ring]);
    }
    if (experimentSeries.length > MAX_EXPERIMENT_SERIES) {
      experimentSeries = experimentSeries.sort(([, a], [, b]) => a.latestTime() - b.latestTime());
      for (const [key] of experimentSeries.slice(0, -MAX_EXPERIMENT_SERIES))
        this.series.delete(key);
    }
  }

  /** Samples allocated over every series (memory, in samples). */
  allocatedSamples(): number {
    let total = 0;
    for (const ring of this.series.values()) total += ring.allocated;
    return total;
  }

  query(query: HistoryQuery): MetricSample[] {
    const key = seriesKey(query);
    const ring = this.series.get(key);
    if (!ring) return [];
    const since = Math.max(query.since ?? -Infinity, ring.latestTime() - HISTORY_MS);
    return ring.samples(since);
  }

  seriesCount(): number {
    return this.series.size;
  }
}
