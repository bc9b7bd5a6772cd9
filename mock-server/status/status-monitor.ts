import { dayKey, stateFromMetrics, type MetricValues, type ServiceState } from '../../src/domain';
import type { CoreContext } from '../context';
import { hashString, seededRandom } from '../random';
import type { StatusStore, TimeInStates } from './status-store';

interface LatestReading {
  /** epoch ms */
  t: number;
  values: MetricValues;
}

export interface StatusMonitor {
  latest(service: string, environment: string): LatestReading | undefined;
  /** Writes the time measured since the last write into the day rollups. */
  flush(): void;
  stop(): void;
}

/**
 * A gap between two samples longer than this (ms) is time without measurements: it counts
 * neither as up nor as down.
 */
const MAX_SAMPLE_GAP_MS = 60_000;
/** How often measured time is written to SQLite, in ms of the clock: not on every tick. */
const FLUSH_EVERY_MS = 60_000;

/**
 * Watches every tick's `all` samples: remembers the latest per service × environment, folds
 * its state into that day's rollup in SQLite (written only when the day gets worse), and adds
 * the time since the previous sample to the time spent in that state (written once a minute).
 */
export function monitorStatus(ctx: CoreContext, store: StatusStore): StatusMonitor {
  const latest = new Map<string, LatestReading>();
  /** Time not yet written, per service|environment|day; at most services × environments × 2 days. */
  const pending = new Map<string, TimeInStates>();
  let today = '';
  let flushedAt = ctx.clock.now();

  const flush = () => {
    if (pending.size === 0 || !ctx.db.open) return;
    ctx.db.transaction(() => {
      for (const [key, time] of pending) {
        const [service = '', environment = '', day = ''] = key.split('|');
        store.addTime(service, environment, day, time);
      }
    })();
    pending.clear();
  };

  const addTime = (key: string, ms: number, state: ServiceState) => {
    const time = pending.get(key) ?? { observedMs: 0, degradedMs: 0, outageMs: 0 };
    time.observedMs += ms;
    if (state === 'degraded') time.degradedMs += ms;
    if (state === 'outage') time.outageMs += ms;
    pending.set(key, time);
  };

  const stop = ctx.bus.subscribe((record) => {
    const { event } = record;
    if (event.type !== 'metrics') return;
    const day = dayKey(event.t);
    if (day !== today) {
      flush();
      store.forgetBefore(day);
      today = day;
    }
    ctx.db.transaction(() => {
      for (const sample of event.samples) {
        if (sample.group !== 'all' || sample.experimentId || sample.cohort) continue;
        const key = `${sample.service}|${sample.environment}`;
        const before = latest.get(key);
        latest.set(key, { t: sample.t, values: sample.values });
        const { state } = stateFromMetrics(sample.values);
        store.recordState(sample.service, sample.environment, day, state);
        const gap = before ? sample.t - before.t : 0;
        if (gap > 0 && gap <= MAX_SAMPLE_GAP_MS) addTime(`${key}|${day}`, gap, state);
      }
    })();
    if (event.t - flushedAt >= FLUSH_EVERY_MS) {
      flush();
      flushedAt = event.t;
    }
  });
  return {
    latest: (service, environment) => latest.get(`${service}|${environment}`),
    flush,
    stop: () => {
      stop();
      flush();
    },
  };
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
        const random = seededRandom(hashString(`${service}|${environment}|${day}`));
        const roll = random.next();
        const state = roll < 0.004 ? 'outage' : roll < 0.02 ? 'degraded' : 'operational';
        store.recordState(service, environment, day, state);
        // A bad day is bad for a while, not all day: 10 to 90 minutes of it.
        const badMs = state === 'operational' ? 0 : Math.round((10 + random.next() * 80) * 60_000);
        store.addTime(service, environment, day, {
          observedMs: dayMs,
          degradedMs: state === 'degraded' ? badMs : 0,
          outageMs: state === 'outage' ? badMs : 0,
        });
      }
    }
  }
}
