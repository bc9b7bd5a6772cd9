import { dayKey, stateFromMetrics, type MetricValues } from '../../src/domain';
import type { CoreContext } from '../context';
import { hashString, seededRandom } from '../random';
import type { StatusStore } from './status-store';

export interface LatestReading {
  /** epoch ms */
  t: number;
  values: MetricValues;
}

export interface StatusMonitor {
  latest(service: string, environment: string): LatestReading | undefined;
  stop(): void;
}

/**
 * Watches every tick's `all` samples: remembers the latest per service × environment and
 * folds its state into that day's rollup in SQLite (written only when the day gets worse).
 */
export function monitorStatus(ctx: CoreContext, store: StatusStore): StatusMonitor {
  const latest = new Map<string, LatestReading>();
  let today = '';
  const stop = ctx.bus.subscribe((record) => {
    const { event } = record;
    if (event.type !== 'metrics') return;
    const day = dayKey(event.t);
    if (day !== today) {
      store.forgetBefore(day);
      today = day;
    }
    ctx.db.transaction(() => {
      for (const sample of event.samples) {
        if (sample.group !== 'all' || sample.experimentId || sample.cohort) continue;
        latest.set(`${sample.service}|${sample.environment}`, {
          t: sample.t,
          values: sample.values,
        });
        store.recordState(
          sample.service,
          sample.environment,
          day,
          stateFromMetrics(sample.values).state,
        );
      }
    })();
  });
  return { latest: (service, environment) => latest.get(`${service}|${environment}`), stop };
}

/**
 * Demo data: past days for a fresh store, so the strips are not empty on first start.
 * Deterministic per service, environment and day; today is left to the live rollup.
 */
export function seedStatusHistory(
  store: StatusStore,
  services: readonly string[],
  environments: readonly string[],
  now: number,
  days: number,
): void {
  if (!store.isEmpty()) return;
  const dayMs = 86_400_000;
  for (let offset = days - 1; offset >= 1; offset--) {
    const day = dayKey(now - offset * dayMs);
    for (const service of services) {
      for (const environment of environments) {
        // The hash seeds a generator: neighbouring days must not get neighbouring numbers.
        const roll = seededRandom(hashString(`${service}|${environment}|${day}`)).next();
        const state = roll < 0.004 ? 'outage' : roll < 0.02 ? 'degraded' : 'operational';
        store.recordState(service, environment, day, state);
      }
    }
  }
}
