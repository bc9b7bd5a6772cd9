import { z } from 'zod';
import { environmentSchema, type Environment } from './environments';
import { publicIncidentSchema } from './incidents';
import { plannedMaintenanceSchema } from './maintenance';
import type { Experiment } from './experiment';
import type { MetricValues } from './metrics';
import { totalDurationSeconds } from './ramp';
import { PLAIN_ATTACK, plainDuration } from './status-words';

const SERVICE_STATES = ['operational', 'degraded', 'outage'] as const;
export const serviceStateSchema = z.enum(SERVICE_STATES);
export type ServiceState = z.infer<typeof serviceStateSchema>;

interface StatusThreshold {
  metric: 'http_5xx_rate' | 'error_rate' | 'latency_p99';
  label: string;
  /** What the public page calls it: "requests failing", never "5xx rate". */
  plain: string;
  unit: '%' | 'ms';
  /** At or above: degraded. */
  degraded: number;
  /** At or above: outage. */
  outage: number;
}

/**
 * How a service's latest `all` sample maps to a state. The worst metric decides.
 * 5xx rate: degraded from 1 %, outage from 5 %. Error rate: degraded from 2 %, outage from
 * 10 %. p99 latency: degraded from 800 ms, outage from 3000 ms.
 */
const STATUS_THRESHOLDS: readonly StatusThreshold[] = [
  {
    metric: 'http_5xx_rate',
    label: '5xx rate',
    plain: 'requests failing',
    unit: '%',
    degraded: 1,
    outage: 5,
  },
  {
    metric: 'error_rate',
    label: 'error rate',
    plain: 'requests failing or unanswered',
    unit: '%',
    degraded: 2,
    outage: 10,
  },
  {
    metric: 'latency_p99',
    label: 'p99 latency',
    plain: 'slower responses',
    unit: 'ms',
    degraded: 800,
    outage: 3000,
  },
];

/** A value of a threshold's metric in words: "12 % of requests", "the slowest 1 in 100 take 1.2 s". */
function plainValue(threshold: StatusThreshold, value: number): string {
  return threshold.unit === 'ms'
    ? `the slowest 1 in 100 requests take ${plainDuration(value)}`
    : `${Math.round(value * 10) / 10} % of requests`;
}

/**
 * How the public page states a threshold: "requests failing: degraded from 1 % of requests, an
 * outage from 5 %".
 */
function plainThreshold(threshold: StatusThreshold): string {
  const { plain, degraded, outage } = threshold;
  return threshold.unit === 'ms'
    ? `${plain}: degraded when the slowest 1 in 100 requests take ${plainDuration(degraded)}, an outage from ${plainDuration(outage)}`
    : `${plain}: degraded from ${degraded} % of requests, an outage from ${outage} %`;
}

/** The thresholds as the status response carries them, each with its rule in words. */
export function publicThresholds() {
  return STATUS_THRESHOLDS.map((t) => ({ ...t, rule: plainThreshold(t) }));
}

const SEVERITY: Record<ServiceState, number> = { operational: 0, degraded: 1, outage: 2 };

export function worseState(a: ServiceState, b: ServiceState): ServiceState {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** The worst of several states; null when there is none (no data). */
export function worstState(states: Iterable<ServiceState | null>): ServiceState | null {
  let worst: ServiceState | null = null;
  for (const state of states) {
    if (state) worst = worst ? worseState(worst, state) : state;
  }
  return worst;
}

interface StateVerdict {
  state: ServiceState;
  /** Why, for the team, for each metric past a threshold: "5xx rate 7.2 % (outage from 5 %)". */
  reasons: string[];
  /** The same for the public page: "requests failing: 7.2 % of requests (an outage from 5 %)". */
  plainReasons: string[];
}

export function stateFromMetrics(
  values: Pick<MetricValues, StatusThreshold['metric']>,
): StateVerdict {
  let state: ServiceState = 'operational';
  const reasons: string[] = [];
  const plainReasons: string[] = [];
  for (const threshold of STATUS_THRESHOLDS) {
    const value = values[threshold.metric];
    if (!Number.isFinite(value)) continue;
    const level: ServiceState =
      value >= threshold.outage
        ? 'outage'
        : value >= threshold.degraded
          ? 'degraded'
          : 'operational';
    if (level === 'operational') continue;
    state = worseState(state, level);
    const limit = level === 'outage' ? threshold.outage : threshold.degraded;
    const unit = threshold.unit === '%' ? ' %' : ' ms';
    reasons.push(
      `${threshold.label} ${Math.round(value * 10) / 10}${unit} (${level} from ${limit}${unit})`,
    );
    plainReasons.push(
      `${threshold.plain}: ${plainValue(threshold, value)} ` +
        `(${level === 'outage' ? 'an outage' : 'degraded'} from ` +
        `${threshold.unit === 'ms' ? plainDuration(limit) : `${limit} %`})`,
    );
  }
  return { state, reasons, plainReasons };
}

/** Days of history the status page shows. */
export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

/** The UTC calendar day of an instant: "2025-01-06". */
export function dayKey(at: number): string {
  return new Date(Math.floor(at / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

const dayStateSchema = z.object({
  day: z.string(),
  state: serviceStateSchema.nullable(),
  /** Time measured that day, and how much of it degraded or in an outage, in ms. */
  observedMs: z.number().nonnegative(),
  degradedMs: z.number().nonnegative(),
  outageMs: z.number().nonnegative(),
});
export type DayState = z.infer<typeof dayStateSchema>;

/** A day's rollup as stored: its worst state and, when measured, the time in each state (ms). */
interface DayRollup {
  day: string;
  state: ServiceState;
  observedMs?: number;
  degradedMs?: number;
  outageMs?: number;
}

/**
 * The last `days` days up to and including today's (UTC), oldest first; a day with no
 * rollup has state null (no data). Several rollups of one day add up.
 */
export function historyStrip(
  rollups: readonly DayRollup[],
  now: number,
  days = HISTORY_DAYS,
): DayState[] {
  const byDay = new Map<string, DayState>();
  for (const rollup of rollups) {
    const seen = byDay.get(rollup.day);
    byDay.set(rollup.day, {
      day: rollup.day,
      state: seen?.state ? worseState(seen.state, rollup.state) : rollup.state,
      observedMs: (seen?.observedMs ?? 0) + (rollup.observedMs ?? 0),
      degradedMs: (seen?.degradedMs ?? 0) + (rollup.degradedMs ?? 0),
      outageMs: (seen?.outageMs ?? 0) + (rollup.outageMs ?? 0),
    });
  }
  const today = Math.floor(now / DAY_MS);
  const strip: DayState[] = [];
  for (let offset = days - 1; offset >= 0; offset--) {
    const day = dayKey((today - offset) * DAY_MS);
    strip.push(byDay.get(day) ?? { day, state: null, observedMs: 0, degradedMs: 0, outageMs: 0 });
  }
  return strip;
}

/** The periods, in days, over which the status page states each service's uptime. */
const UPTIME_PERIODS_DAYS = [30, 90] as const;
/**
 * How much of a degraded minute counts as down: a partial outage, weighed as Atlassian
 * Statuspage weighs one (30 %). A minute in an outage counts whole.
 */
const DEGRADED_DOWNTIME_SHARE = 0.3;
/** The rule in words, as the public page states it. */
export const UPTIME_RULE =
  'Uptime is the share of measured time that a service was up in production over the last 30 and 90 days. ' +
  'A minute with an outage counts as down; a degraded minute (a partial outage) counts as 30 % down; ' +
  'time without measurements is left out.';

/**
 * Uptime over the last `days` entries of a strip, in % rounded down to two decimals (99.999 %
 * reads 99.99 %, never 100 %); null without any measured time.
 */
export function uptimePercent(strip: readonly DayState[], days: number): number | null {
  const period = strip.slice(-days);
  const observed = period.reduce((sum, d) => sum + d.observedMs, 0);
  if (observed <= 0) return null;
  const down = period.reduce(
    (sum, d) => sum + d.outageMs + d.degradedMs * DEGRADED_DOWNTIME_SHARE,
    0,
  );
  const up = Math.max(0, 1 - down / observed);
  return Math.floor(up * 10_000) / 100;
}

const uptimeSchema = z.object({
  days: z.number().int(),
  /** null: nothing measured in the period. */
  percent: z.number().nullable(),
});
export type Uptime = z.infer<typeof uptimeSchema>;

/** The service's uptime over each of UPTIME_PERIODS_DAYS. */
export function uptimes(strip: readonly DayState[]): Uptime[] {
  return UPTIME_PERIODS_DAYS.map((days) => ({ days, percent: uptimePercent(strip, days) }));
}

const environmentStatusSchema = z.object({
  environment: environmentSchema,
  /** null: no sample yet. */
  state: serviceStateSchema.nullable(),
  reasons: z.array(z.string()),
  /** epoch ms of the sample judged; null without one. */
  updatedAt: z.number().nullable(),
});

const serviceStatusSchema = z.object({
  service: z.string(),
  description: z.string(),
  environments: z.array(environmentStatusSchema),
  /** The last 90 days in production, oldest first: each day's worst state and time in each. */
  history: z.array(dayStateSchema),
  /** Uptime in production over 30 and 90 days (UPTIME_RULE). */
  uptime: z.array(uptimeSchema),
});
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export function serviceOverall(
  status: Pick<ServiceStatus, 'environments'>,
  environment?: Environment,
): ServiceState | null {
  return worstState(
    status.environments
      .filter((e) => !environment || e.environment === environment)
      .map((e) => e.state),
  );
}

const testedExperimentSchema = z.object({
  id: z.string(),
  name: z.string(),
  service: z.string(),
  environment: environmentSchema,
  /** What the test does, in plain words: "extra load on the servers". */
  attack: z.string(),
  stepIndex: z.number().int(),
  stepCount: z.number().int(),
  /** Share of the planned duration elapsed, 0–100 %. */
  progressPercent: z.number(),
  startedAt: z.number(),
  /** epoch ms when the last step ends, if nothing stops it before. */
  endsAt: z.number(),
});
export type TestedExperiment = z.infer<typeof testedExperimentSchema>;

/** A flag or canary being rolled out: how far, never to whom (no targeting rules). */
const rolloutProgressSchema = z.object({
  kind: z.enum(['flag', 'canary']),
  key: z.string(),
  service: z.string().nullable(),
  environment: environmentSchema.nullable(),
  /** 0–100 % of traffic or users on the new path. */
  percent: z.number(),
  /** A rollout that waits for a person (paused, or held by its judge or a chaos abort). */
  waiting: z.boolean().optional(),
});
export type RolloutProgress = z.infer<typeof rolloutProgressSchema>;

export const statusResponseSchema = z.object({
  generatedAt: z.number(),
  services: z.array(serviceStatusSchema),
  testing: z.object({
    experiments: z.array(testedExperimentSchema),
    rollouts: z.array(rolloutProgressSchema),
  }),
  incidents: z.array(publicIncidentSchema),
  /** Game days that will test production (or are testing it now), soonest first. */
  maintenance: z.array(plannedMaintenanceSchema),
  thresholds: z.array(
    z.object({
      metric: z.string(),
      label: z.string(),
      plain: z.string(),
      /** The rule in plain words, as the public page states it (plainThreshold). */
      rule: z.string(),
      unit: z.string(),
      degraded: z.number(),
      outage: z.number(),
    }),
  ),
});
export type StatusResponse = z.infer<typeof statusResponseSchema>;

/** Who may see the public page: nobody when it is off; only holders of the share link when a token is set. */
export const statusSettingsSchema = z.object({
  enabled: z.boolean(),
  /** The page opens only with its share link (or for a signed-in user). */
  tokenRequired: z.boolean(),
  /**
   * The share link's token, only in the answer that made it: the server keeps a hash and never
   * shows it again.
   */
  shareToken: z.string().optional(),
  version: z.number().int(),
});
export type StatusSettings = z.infer<typeof statusSettingsSchema>;

export const updateStatusSettingsSchema = z.object({
  version: z.number().int(),
  enabled: z.boolean({ error: 'say whether the status page is on' }),
  /** true: the page needs `?token=`; a token is created when there is none yet. */
  tokenRequired: z.boolean({ error: 'say whether the status page needs a share link' }),
  /** Replace the token with a new one (old links stop working). */
  rotateToken: z.boolean().default(false),
});
export type UpdateStatusSettings = z.input<typeof updateStatusSettingsSchema>;

export const STATUS_ERROR_CODES = {
  disabled: 'status_disabled',
  tokenRequired: 'share_token_required',
} as const;

/** What the status page says about a running experiment: names and progress, no people. */
export function testedExperiment(experiment: Experiment, now: number): TestedExperiment | null {
  if (experiment.state !== 'running' || !experiment.run) return null;
  const totalMs = totalDurationSeconds(experiment.steps) * 1000;
  const elapsed = Math.max(0, now - experiment.run.startedAt);
  const stepIndex = Math.min(experiment.run.stepIndex, experiment.steps.length - 1);
  return {
    id: experiment.id,
    name: experiment.name,
    service: experiment.service,
    environment: experiment.environment,
    attack: PLAIN_ATTACK[experiment.attack.type],
    stepIndex,
    stepCount: experiment.steps.length,
    progressPercent: totalMs > 0 ? Math.min(100, Math.round((elapsed / totalMs) * 1000) / 10) : 100,
    startedAt: experiment.run.startedAt,
    endsAt: experiment.run.startedAt + totalMs,
  };
}

const EMAIL = /[^\s@<>()"',;]+@[^\s@<>()"',;]+\.[a-z]{2,}/gi;
/** Long unbroken runs of letters and digits look like tokens or keys. */
const TOKEN_LIKE = /\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{24,}\b/g;

/**
 * Text bound for the public page with anything that looks like an email or a token hidden:
 * names and summaries are typed by people, and the page is read by anyone with the link.
 */
export function redactPersonalData(text: string): string {
  return text.replace(EMAIL, '[email hidden]').replace(TOKEN_LIKE, '[hidden]');
}
