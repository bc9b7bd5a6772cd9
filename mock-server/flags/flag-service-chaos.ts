import { cpuUsage, memoryUsage, uptime } from 'node:process';
import { totalmem } from 'node:os';
import {
  ENVIRONMENTS,
  FLAG_SERVICE,
  flagServiceInstanceId,
  type AttackType,
  type Environment,
  type Instance,
  type MetricSample,
} from '../../src/domain';
import type { ExperimentGroups, SeriesQuery } from '../backends/seams';

/** A fault on one environment's OFREP endpoint, held for one experiment. */
interface OfrepFault {
  attack: 'latency' | 'error' | 'rate-limit' | 'shutdown';
  /** ms of added latency, or % of answers that are errors or 429s; unused for an outage. */
  magnitude: number;
}

/** What the OFREP endpoint of one environment does to each request now. */
interface OfrepDisturbance {
  /** Added before answering, in ms. */
  latencyMs: number;
  /** Share of requests answered 500, in %. */
  errorPercent: number;
  /** Share of requests answered 429 (rate limited), in %. */
  rateLimitPercent: number;
  /** Every request answered 503: the flag service is down for this environment. */
  outage: boolean;
  /** The experiments that cause it, for the answer's words. */
  experimentIds: string[];
}

/** What the OFREP endpoint answered in one environment since the last measurement. */
interface Tally {
  requests: number;
  fourxx: number;
  fivexx: number;
  /** Latencies in ms, at most LATENCY_KEPT of them (the newest win). */
  latencies: number[];
}

const LATENCY_KEPT = 10_000;
/** Samples kept per environment: an hour at one per second. */
const HISTORY_KEPT = 3_600;

const emptyTally = (): Tally => ({ requests: 0, fourxx: 0, fivexx: 0, latencies: [] });

function p99(latencies: readonly number[]): number {
  if (latencies.length === 0) return 0;
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0;
}

/**
 * Chaos on Faultline's own flag service: faults on the OFREP endpoint of one environment, and
 * the endpoint's own measurements per environment (what it answered, how fast), so that an
 * experiment on it has a steady state and abort conditions like any other. Faults live only in
 * this process: a restarted server holds none, and its interrupted experiments leave nothing.
 */
export function createFlagServiceChaos(random: () => number) {
  const faults = new Map<Environment, Map<string, OfrepFault>>();
  const tallies = new Map<Environment, Tally>();
  const history = new Map<Environment, MetricSample[]>();
  let lastMeasuredAt: number | null = null;
  let lastCpu = cpuUsage();

  function disturbance(environment: Environment): OfrepDisturbance | null {
    const held = faults.get(environment);
    if (!held || held.size === 0) return null;
    const result: OfrepDisturbance = {
      latencyMs: 0,
      errorPercent: 0,
      rateLimitPercent: 0,
      outage: false,
      experimentIds: [...held.keys()],
    };
    for (const fault of held.values()) {
      if (fault.attack === 'latency') result.latencyMs += fault.magnitude;
      if (fault.attack === 'error')
        result.errorPercent = Math.min(100, result.errorPercent + fault.magnitude);
      if (fault.attack === 'rate-limit')
        result.rateLimitPercent = Math.min(100, result.rateLimitPercent + fault.magnitude);
      if (fault.attack === 'shutdown') result.outage = true;
    }
    return result;
  }

  /** One environment's sample from what it answered since the last measurement. */
  function sampleOf(
    environment: Environment,
    tally: Tally,
    seconds: number,
    cpu: number,
    now: number,
  ): MetricSample {
    const share = (count: number) => (tally.requests > 0 ? (count / tally.requests) * 100 : 0);
    return {
      t: now,
      service: FLAG_SERVICE,
      environment,
      group: 'all',
      values: {
        cpu,
        memory: (memoryUsage().rss / totalmem()) * 100,
        error_rate: share(tally.fivexx),
        http_4xx_rate: share(tally.fourxx),
        http_5xx_rate: share(tally.fivexx),
        latency_p99: p99(tally.latencies),
        request_rate: seconds > 0 ? tally.requests / seconds : 0,
      },
    };
  }

  function processCpu(seconds: number): number {
    const used = cpuUsage(lastCpu);
    lastCpu = cpuUsage();
    // µs of CPU over the seconds elapsed: % of one core, as a process's CPU is usually read.
    return seconds > 0 ? Math.min(100, (used.user + used.system) / 1e4 / seconds) : 0;
  }

  return {
    instances(): Instance[] {
      return ENVIRONMENTS.map((environment) => ({
        id: flagServiceInstanceId(environment),
        kind: 'host' as const,
        service: FLAG_SERVICE,
        environment,
        hostId: flagServiceInstanceId(environment),
        labels: { endpoint: 'ofrep' },
      }));
    },

    /** Puts (or changes) an experiment's fault on an environment's OFREP endpoint. */
    apply(experimentId: string, environment: Environment, attack: AttackType, magnitude = 0) {
      if (
        attack !== 'latency' &&
        attack !== 'error' &&
        attack !== 'rate-limit' &&
        attack !== 'shutdown'
      )
        return `${attack} cannot run on the flag service`;
      const held = faults.get(environment) ?? new Map<string, OfrepFault>();
      held.set(experimentId, { attack, magnitude });
      faults.set(environment, held);
      return null;
    },

    /** Removes an experiment's faults wherever they are; removing nothing is not an error. */
    remove(experimentId: string): void {
      for (const held of faults.values()) held.delete(experimentId);
    },

    holds: (experimentId: string) => [...faults.values()].some((held) => held.has(experimentId)),

    disturbance,

    /** Chance drawn per request: is this one answered with an injected error? */
    failsNow: (found: OfrepDisturbance) =>
      found.errorPercent > 0 && random() * 100 < found.errorPercent,

    /** Chance drawn per request, after the error's: is this one answered 429? */
    limitedNow: (found: OfrepDisturbance) =>
      found.rateLimitPercent > 0 && random() * 100 < found.rateLimitPercent,

    /** One OFREP answer, for the endpoint's own measurements. */
    record(environment: Environment, status: number, ms: number): void {
      const tally = tallies.get(environment) ?? emptyTally();
      tally.requests += 1;
      if (status >= 500) tally.fivexx += 1;
      else if (status >= 400) tally.fourxx += 1;
      tally.latencies.push(ms);
      if (tally.latencies.length > LATENCY_KEPT) tally.latencies.shift();
      tallies.set(environment, tally);
    },

    /**
     * The endpoint's samples since the last call: every environment as a whole, and the
     * target group of each experiment on it (its one instance), recorded in the history.
     */
    measure(now: number, experiments: readonly ExperimentGroups[]): MetricSample[] {
      const seconds = lastMeasuredAt === null ? 0 : Math.max(0, (now - lastMeasuredAt) / 1000);
      lastMeasuredAt = now;
      const cpu = processCpu(seconds);
      const samples: MetricSample[] = [];
      for (const environment of ENVIRONMENTS) {
        const sample = sampleOf(
          environment,
          tallies.get(environment) ?? emptyTally(),
          seconds,
          cpu,
          now,
        );
        tallies.set(environment, emptyTally());
        samples.push(sample);
        for (const experiment of experiments) {
          if (experiment.environment !== environment) continue;
          samples.push({ ...sample, group: 'target', experimentId: experiment.experimentId });
        }
      }
      for (const sample of samples) {
        const kept = history.get(sample.environment) ?? [];
        kept.push(sample);
        if (kept.length > HISTORY_KEPT) kept.shift();
        history.set(sample.environment, kept);
      }
      return samples;
    },

    /** Recorded samples of one series, oldest first. */
    history(query: SeriesQuery): MetricSample[] {
      return (history.get(query.environment) ?? []).filter(
        (sample) =>
          sample.group === query.group &&
          (query.group === 'all' || sample.experimentId === query.experimentId) &&
          (query.since === undefined || sample.t >= query.since) &&
          (query.until === undefined || sample.t <= query.until),
      );
    },

    /** The current reading of one environment, without recording it (nothing measured yet). */
    peek(environment: Environment, now: number): MetricSample {
      const seconds = lastMeasuredAt === null ? 0 : Math.max(0, (now - lastMeasuredAt) / 1000);
      const used = cpuUsage();
      // Nothing measured yet: the process's CPU averaged since it started, % of one core.
      const cpu = Math.min(100, (used.user + used.system) / 1e4 / Math.max(uptime(), 1));
      return sampleOf(environment, tallies.get(environment) ?? emptyTally(), seconds, cpu, now);
    },
  };
}
export type FlagServiceChaos = ReturnType<typeof createFlagServiceChaos>;
