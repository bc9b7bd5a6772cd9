import { seriesKey, type Environment, type Group, type MetricSample } from '../../src/domain';
import { SeriesRing } from './series-ring';

/** How much history each series keeps, in ms (1 h). */
export const HISTORY_MS = 60 * 60_000;

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

/** Every series' last hour, bounded: a ring per series, and series unseen for an hour are dropped. */
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
    for (const [key, ring] of this.series) {
      if (now - ring.latestTime() > HISTORY_MS) this.series.delete(key);
    }
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
