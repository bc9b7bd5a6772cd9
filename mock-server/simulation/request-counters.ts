import {
  ANSWER_CLASSES,
  LATENCY_BUCKETS_SECONDS,
  seriesKey,
  type AnswerClass,
  type MetricSample,
} from '../../src/domain';
import type { RequestTotals } from '../backends/seams';
import { REQUEST_TIMEOUT_MS, normalCdf, type ContainerReading } from './physics';

/** What one group of containers served in one second: requests by answer class and by latency. */
interface RequestTally {
  byClass: Record<AnswerClass, number>;
  /** Requests at or under each bound of LATENCY_BUCKETS_SECONDS (cumulative, as Prometheus's `le`). */
  atOrUnder: number[];
  /** Sum of the requests' latencies, in seconds. */
  latencySeconds: number;
}

/** Requests per second of one group, split by answer class and by the latency histogram's buckets. */
export function tallyOf(readings: readonly ContainerReading[]): RequestTally {
  const byClass: Record<AnswerClass, number> = { '2xx': 0, '4xx': 0, '5xx': 0, none: 0 };
  const atOrUnder = LATENCY_BUCKETS_SECONDS.map(() => 0);
  let latencySeconds = 0;
  for (const reading of readings) {
    const requests = reading.requests;
    if (!(requests > 0)) continue;
    // Lost without an answer: the part of the error rate that is not a 5xx.
    const none = Math.max(0, reading.errorRate - reading.rate5xx) / 100;
    const fivexx = reading.rate5xx / 100;
    const fourxx = Math.min(reading.rate4xx / 100, Math.max(0, 1 - none - fivexx));
    byClass.none += requests * none;
    byClass['5xx'] += requests * fivexx;
    byClass['4xx'] += requests * fourxx;
    byClass['2xx'] += requests * Math.max(0, 1 - none - fivexx - fourxx);

    // Log-normal latency, cut off at the timeout (the caller gives up and answers 504 there).
    const { mu, sigma } = reading.latencyLog;
    const share = (ms: number) =>
      ms >= REQUEST_TIMEOUT_MS ? 1 : normalCdf((Math.log(ms) - mu) / sigma);
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) => {
      atOrUnder[i] = (atOrUnder[i] ?? 0) + requests * share(bound * 1000);
    });
    const meanMs = Math.min(REQUEST_TIMEOUT_MS, Math.exp(mu + (sigma * sigma) / 2));
    latencySeconds += (requests * meanMs) / 1000;
  }
  return { byClass, atOrUnder, latencySeconds };
}

export type { RequestTotals } from '../backends/seams';

/**
 * Cumulative counters per series (service × environment × group × experiment × cohort), fed one
 * tick at a time. A series absent from a tick is dropped, so the set stays as large as the
 * latest tick; when it comes back it starts from zero, which Prometheus reads as a counter reset.
 */
export class RequestCounters {
  private totals = new Map<string, RequestTotals>();
  private lastTickAt: number | null = null;

  constructor(private readonly tickMs: number) {}

  add(now: number, samples: readonly MetricSample[], tallies: readonly RequestTally[]): void {
    const seconds = Math.max(
      0,
      (this.lastTickAt === null ? this.tickMs : now - this.lastTickAt) / 1000,
    );
    this.lastTickAt = now;
    const next = new Map<string, RequestTotals>();
    samples.forEach((sample, i) => {
      const tally = tallies[i];
      if (!tally) return;
      const key = seriesKey(sample);
      const before = this.totals.get(key);
      const byClass = { ...(before?.byClass ?? { '2xx': 0, '4xx': 0, '5xx': 0, none: 0 }) };
      for (const answer of ANSWER_CLASSES) byClass[answer] += tally.byClass[answer] * seconds;
      const count = ANSWER_CLASSES.reduce((sum, answer) => sum + tally.byClass[answer], 0);
      next.set(key, {
        sample,
        byClass,
        atOrUnder: tally.atOrUnder.map((n, b) => (before?.atOrUnder[b] ?? 0) + n * seconds),
        count: (before?.count ?? 0) + count * seconds,
        latencySeconds: (before?.latencySeconds ?? 0) + tally.latencySeconds * seconds,
      });
    });
    this.totals = next;
  }

  all(): readonly RequestTotals[] {
    return [...this.totals.values()];
  }
}
