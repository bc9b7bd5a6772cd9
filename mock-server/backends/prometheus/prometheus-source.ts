import {
  METRICS,
  affectedInstanceIds,
  type Environment,
  type Group,
  type Instance,
  type Metric,
  type MetricSample,
  type MetricValues,
} from '../../../src/domain';
import type { PrometheusMetricsConfig } from '../backends-config';
import {
  MetricsUnavailableError,
  type ExperimentGroups,
  type MetricsGap,
  type MetricsReading,
  type MetricsSource,
  type SeriesQuery,
  type SeriesWindow,
} from '../seams';
import { prometheusFlagEvaluations } from './flag-evaluations';
import { batchesOf, splitByGroup } from './instant-batch';
import { prometheusClient, type InstantAnswer, type PrometheusClient } from './prometheus-client';
import { DEFAULT_TEMPLATES, instanceMatcher, renderTemplate } from './promql';

/** At most this many evaluation queries in flight at once. */
const MAX_IN_FLIGHT = 24;
/**
 * Chart histories and steady-state windows have their own, smaller share: a monitor page
 * opening (21 range queries) must never queue an evaluation's instant queries past their
 * deadline, which would read as "no metrics" and abort a healthy run.
 */
const MAX_RANGE_IN_FLIGHT = 6;
/**
 * A range read is no evaluation: nothing is judged on its lateness, and a busy Prometheus
 * answers a chart's 15 minutes slower than one instant. It may take this long (or the
 * configured query timeout, if longer), in ms.
 */
const RANGE_TIMEOUT_MS = 5_000;
/** What a flag's cohorts are read on: the metrics of requests, which carry the variant served. */
const PER_REQUEST_METRICS: readonly Metric[] = METRICS.filter((m) => m !== 'cpu' && m !== 'memory');
/** Experiments whose groups are remembered for chart history after they ended. */
const REMEMBERED_EXPERIMENTS = 200;
/** Points a chart history asks Prometheus for, at most. */
const HISTORY_POINTS = 720;
/** The longest chart history asked of Prometheus, in ms (an hour, as the simulation keeps). */
const HISTORY_MAX_MS = 60 * 60_000;
/** An instance's label naming its series in Prometheus, when the file does not (agent targets). */
const METRICS_INSTANCE_LABEL = 'metrics-instance';

type Selection =
  | { kind: 'only' | 'except'; instances: readonly string[] }
  | { kind: 'any' }
  /** Every instance's series whose labels match too (a flag's cohort). */
  | { kind: 'labels'; matcher: string };

interface GroupToRead {
  service: string;
  group: Group;
  experimentId?: string;
  /** A canary rollout's side: the whole service split into its canary and its stable instances. */
  version?: 'stable' | 'canary';
  /** A flag's side: the whole service's requests split by the variant they were served. */
  cohort?: 'on' | 'off';
  selection: Selection;
}

interface PrometheusSourceOptions {
  environment: Environment;
  config: PrometheusMetricsConfig;
  /** The services of the environment: each is read as a whole at every evaluation. */
  services: () => readonly string[];
  /** A service's instances in the environment (configured ones and agents' targets). */
  instancesOf: (service: string) => readonly Instance[];
  /** The value of the instance label in Prometheus for an instance id (configured `metricsInstance`). */
  metricsInstance?: ReadonlyMap<string, string>;
  /**
   * The hosts running a service's canary while a canary rollout sends it traffic, else null.
   * Then each evaluation also reads the service split in two (canary: those hosts' instances;
   * stable: the others), for the rollout's analysis.
   */
  canaryHosts?: (service: string) => ReadonlySet<string> | null;
  /**
   * The flag whose cohorts split a service's traffic now, else null. Then each evaluation also
   * reads the service's requests by the variant served: series labelled `flag_<key>` (the key
   * with `_` for anything else) with the off variant (or `fallback`) are flag off, the others
   * flag on; series without the label are neither.
   */
  cohortFlag?: (service: string) => { flagKey: string; offVariant: string } | null;
  /** An ended experiment's groups (for chart history after a restart), when the source never saw it run. */
  experimentGroups?: (experimentId: string) => ExperimentGroups | undefined;
  client?: PrometheusClient;
  /** Wall-clock epoch ms, for a chart history asked without an end. */
  now?: () => number;
}

/**
 * One environment's metrics read from Prometheus: at every evaluation an instant query per
 * metric answering every group (a few when they are many), range queries for the
 * steady-state window and chart history. The target group is the blast radius's instances,
 * the control the service's others.
 */
export function prometheusSource(options: PrometheusSourceOptions): MetricsSource {
  const { environment, config } = options;
  const wallClock = options.now ?? Date.now;
  const rangeTimeoutMs = Math.max(config.queryTimeoutMs, RANGE_TIMEOUT_MS);
  const client =
    options.client ??
    prometheusClient({ url: config.url, timeoutMs: config.queryTimeoutMs, rangeTimeoutMs });
  const templates = { ...DEFAULT_TEMPLATES, ...config.queries };
  const remembered = new Map<string, ExperimentGroups>();
  let lastEvaluation = -Infinity;
  const limited = slots(MAX_IN_FLIGHT);
  const rangeLimited = slots(MAX_RANGE_IN_FLIGHT);

  function query(metric: Metric, service: string, selection: Selection): string {
    const instances =
      selection.kind === 'labels'
        ? `${instanceMatcher(config.instanceLabel, { kind: 'any' })},${selection.matcher}`
        : instanceMatcher(config.instanceLabel, selection);
    return renderTemplate(templates[metric], {
      service,
      environment,
      instances,
      range: config.range,
      memory_limit_bytes: String(config.memoryLimitBytes),
    });
  }

  const metricsInstanceOf = (instance: Instance) =>
    options.metricsInstance?.get(instance.id) ??
    instance.labels[METRICS_INSTANCE_LABEL] ??
    instance.id;

  /** The Prometheus instance names of an experiment's target (a host takes its containers). */
  function targetInstances(experiment: ExperimentGroups): string[] {
    const all = options.instancesOf(experiment.service);
    const ids = new Set(experiment.targetIds);
    const affected = affectedInstanceIds(
      all.filter((i) => ids.has(i.id)),
      all,
    );
    // A target no longer in the inventory (an agent gone) is still the target: keep its id.
    for (const id of ids) affected.add(id);
    const byId = new Map(all.map((i) => [i.id, i]));
    return [...affected].map((id) => {
      const instance = byId.get(id);
      return instance ? metricsInstanceOf(instance) : (options.metricsInstance?.get(id) ?? id);
    });
  }

  /** The Prometheus instance names of a service's canary, or null when no canary rollout runs. */
  function canaryInstances(service: string): string[] | null {
    const hosts = options.canaryHosts?.(service);
    if (!hosts || hosts.size === 0) return null;
    return options
      .instancesOf(service)
      .filter((i) => hosts.has(i.hostId))
      .map(metricsInstanceOf);
  }

  /**
   * The Prometheus instance names a control leaves out: its experiment's target, and while a
   * canary rollout sends the service traffic, the canary's (the control is stable's, as in the
   * simulation: the canary's defects are not the target's baseline).
   */
  function outOfControl(experiment: ExperimentGroups): string[] {
    const canary = canaryInstances(experiment.service) ?? [];
    return [...new Set([...targetInstances(experiment), ...canary])];
  }

  /** The label matchers of a flag's two cohorts, or null when no flag splits the service. */
  function cohortMatchers(service: string): Record<'on' | 'off', string> | null {
    const flag = options.cohortFlag?.(service);
    if (!flag) return null;
    const label = `flag_${flag.flagKey.replace(/[^A-Za-z0-9_]/g, '_')}`;
    const off = `${flag.offVariant.replace(/[^A-Za-z0-9_.-]/g, '')}|fallback`;
    return { on: `${label}=~".+",${label}!~"${off}"`, off: `${label}=~"${off}"` };
  }

  function groupsOf(experiments: readonly ExperimentGroups[]): GroupToRead[] {
    const groups: GroupToRead[] = options.services().flatMap((service): GroupToRead[] => {
      const whole = { service, group: 'all' as const };
      const canary = canaryInstances(service);
      const cohorts = cohortMatchers(service);
      return [
        { ...whole, selection: { kind: 'any' } },
        ...(cohorts
          ? (['on', 'off'] as const).map((cohort) => ({
              ...whole,
              cohort,
              selection: { kind: 'labels' as const, matcher: cohorts[cohort] },
            }))
          : []),
        ...(canary
          ? [
              {
                ...whole,
                version: 'canary' as const,
                selection: { kind: 'only' as const, instances: canary },
              },
              {
                ...whole,
                version: 'stable' as const,
                selection: { kind: 'except' as const, instances: canary },
              },
            ]
          : []),
      ];
    });
    for (const experiment of experiments) {
      const instances = targetInstances(experiment);
      const tagged = { service: experiment.service, experimentId: experiment.experimentId };
      groups.push({ ...tagged, group: 'target', selection: { kind: 'only', instances } });
      groups.push({
        ...tagged,
        group: 'control',
        selection: { kind: 'except', instances: outOfControl(experiment) },
      });
    }
    return groups;
  }

  function remember(experiments: readonly ExperimentGroups[]): void {
    for (const experiment of experiments) {
      remembered.delete(experiment.experimentId);
      remembered.set(experiment.experimentId, experiment);
    }
    while (remembered.size > REMEMBERED_EXPERIMENTS) {
      const oldest = remembered.keys().next().value;
      if (oldest === undefined) break;
      remembered.delete(oldest);
    }
  }

  /**
   * Every group's metrics at `now`, one query per metric answering all the groups at once
   * (a few when they are many: see instant-batch.ts), each distinct expression once. A group
   * absent from the answer has no series; a group's NaN stays NaN: both are gaps of that
   * group alone, never healthy data.
   */
  async function readGroups(
    reads: readonly GroupToRead[],
    now: number,
    deadline: AbortSignal,
  ): Promise<Map<Metric, InstantAnswer>[]> {
    const answers = reads.map(() => new Map<Metric, InstantAnswer>());
    // Groups reading the same series (experiments on the same blast radius) share one read:
    // each expression is asked once, under its first group's index.
    const sharing = new Map<Metric, Map<string, number[]>>();
    for (const metric of METRICS) {
      const byExpression = new Map<string, number[]>();
      for (const [index, read] of reads.entries()) {
        // A process's CPU and memory serve every cohort at once: no flag label splits them.
        if (read.cohort && !PER_REQUEST_METRICS.includes(metric)) continue;
        const expression = query(metric, read.service, read.selection);
        byExpression.set(expression, [...(byExpression.get(expression) ?? []), index]);
      }
      sharing.set(metric, byExpression);
    }
    const batches = [...sharing].flatMap(([metric, byExpression]) =>
      batchesOf(
        [...byExpression].map(([expression, indexes]) => ({ index: indexes[0] ?? 0, expression })),
      ).map((batch) => ({ metric, ...batch })),
    );
    const answerAll = (metric: Metric, expression: string, answer: InstantAnswer) => {
      for (const index of sharing.get(metric)?.get(expression) ?? [])
        answers[index]?.set(metric, answer);
    };
    await Promise.all(
      batches.map(async ({ metric, indexes, queries, text }) => {
        const answer = await limited(() => client.vector(text, now, deadline));
        if ('missing' in answer && answer.refused) {
          // A template label_replace cannot take (a scalar), or one Prometheus refuses: each
          // group asked on its own says which and why, as if never batched.
          const alone = await Promise.all(
            queries.map((expression) => limited(() => client.instant(expression, now, deadline))),
          );
          for (const [i, expression] of queries.entries())
            answerAll(metric, expression, alone[i] ?? { missing: 'no answer' });
          return;
        }
        const split = splitByGroup(answer, indexes);
        for (const [i, expression] of queries.entries())
          answerAll(metric, expression, split.get(indexes[i] ?? -1) ?? { missing: 'no answer' });
      }),
    );
    return answers;
  }

  function readingOf(
    read: GroupToRead,
    got: ReadonlyMap<Metric, InstantAnswer>,
    now: number,
  ): MetricSample | MetricsGap {
    const asked = read.cohort ? PER_REQUEST_METRICS : METRICS;
    const answers = asked.map((metric) => got.get(metric));
    const values: Partial<Record<Metric, number>> = read.cohort
      ? { cpu: Number.NaN, memory: Number.NaN }
      : {};
    const missing: Metric[] = [];
    let reason = '';
    for (const [index, metric] of asked.entries()) {
      const answer = answers[index];
      if (answer && 'value' in answer) values[metric] = answer.value;
      else {
        missing.push(metric);
        reason ||= `${metric}: ${answer?.missing ?? 'no answer'}`;
      }
    }
    const where = {
      service: read.service,
      environment,
      group: read.group,
      ...(read.experimentId ? { experimentId: read.experimentId } : {}),
    };
    if (missing.length === 0)
      return {
        t: now,
        ...where,
        ...(read.version ? { version: read.version } : {}),
        ...(read.cohort ? { cohort: read.cohort } : {}),
        values: values as MetricValues,
      };
    // Every metric missing for one reason (Prometheus down): say it once, without the metric.
    if (missing.length === asked.length && new Set(answers.map(missingOf)).size === 1)
      reason = missingOf(answers[0]);
    return { ...where, metrics: missing, reason, partial: values };
  }

  /** The selection of a series asked for by the charts or the steady-state check. */
  function selectionOf(series: SeriesQuery): Selection | string {
    if (series.cohort) {
      const cohorts = cohortMatchers(series.service);
      if (!cohorts) return 'no flag splits this service now';
      return { kind: 'labels', matcher: cohorts[series.cohort] };
    }
    if (series.version) {
      const canary = canaryInstances(series.service);
      if (!canary) return 'no canary rollout sends this service traffic now';
      return { kind: series.version === 'canary' ? 'only' : 'except', instances: canary };
    }
    if (series.group === 'all') return { kind: 'any' };
    const experiment = series.experimentId
      ? (remembered.get(series.experimentId) ?? options.experimentGroups?.(series.experimentId))
      : undefined;
    if (!experiment) return `no ${series.group} group is known for this experiment`;
    // A range query keeps one set of instances: a control's history leaves out the canary that
    // routes now, as its live readings do, over the whole window asked.
    return series.group === 'target'
      ? { kind: 'only', instances: targetInstances(experiment) }
      : { kind: 'except', instances: outOfControl(experiment) };
  }

  /** Range queries for the metrics asked, joined by time; a point lacking a needed metric is left out. */
  async function readRange(
    series: SeriesQuery,
    start: number,
    end: number,
    stepMs: number,
    wanted: readonly Metric[],
  ): Promise<SeriesWindow> {
    const selection = selectionOf(series);
    if (typeof selection === 'string') return { samples: [], gap: selection };
    // A cohort's CPU and memory are not read (no flag label splits them): left NaN.
    const needed = series.cohort ? wanted.filter((m) => PER_REQUEST_METRICS.includes(m)) : wanted;
    const deadline = AbortSignal.timeout(rangeTimeoutMs);
    const answers = await Promise.all(
      needed.map((metric) =>
        rangeLimited(() =>
          client.range(query(metric, series.service, selection), start, end, stepMs, deadline),
        ),
      ),
    );
    const byTime = new Map<number, Partial<Record<Metric, number>>>();
    for (const [index, metric] of needed.entries()) {
      const answer = answers[index];
      if (!answer || 'missing' in answer)
        return { samples: [], gap: `${metric}: ${answer?.missing ?? 'no answer'}` };
      for (const point of answer.points)
        byTime.set(point.t, { ...(byTime.get(point.t) ?? {}), [metric]: point.value });
    }
    const samples: MetricSample[] = [];
    for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
      const got = byTime.get(t) ?? {};
      if (needed.some((m) => got[m] === undefined)) continue;
      const values = Object.fromEntries(METRICS.map((m) => [m, got[m] ?? Number.NaN]));
      samples.push({
        t,
        service: series.service,
        environment,
        group: series.group,
        ...(series.experimentId ? { experimentId: series.experimentId } : {}),
        ...(series.version ? { version: series.version } : {}),
        ...(series.cohort ? { cohort: series.cohort } : {}),
        values: values as MetricValues,
      });
    }
    return samples.length > 0
      ? { samples }
      : { samples, gap: 'Prometheus has no point in the window where every metric has a value' };
  }

  return {
    async latest({ now, experiments }): Promise<MetricsReading> {
      const mine = experiments.filter((e) => e.environment === environment);
      remember(mine);
      // Asked more often than it evaluates: nothing new (not a gap).
      if (now - lastEvaluation < config.evaluationIntervalMs * 0.9)
        return { samples: [], gaps: [] };
      lastEvaluation = now;
      // One deadline for the whole evaluation: a slow Prometheus costs one timeout, not hundreds.
      const deadline = AbortSignal.timeout(config.queryTimeoutMs);
      const reads = groupsOf(mine);
      const answers = await readGroups(reads, now, deadline);
      const results = reads.map((read, index) => readingOf(read, answers[index] ?? new Map(), now));
      const reading: MetricsReading = { samples: [], gaps: [] };
      for (const [index, result] of results.entries()) {
        if ('values' in result) reading.samples.push(result);
        // A canary or cohort side that cannot be read is no gap of the whole service: the rollout gets
        // no sample of it, adds nothing to its step and holds rather than promotes.
        else if (!reads[index]?.version && !reads[index]?.cohort) reading.gaps.push(result);
      }
      return reading;
    },

    window(series) {
      const until = series.until ?? wallClock();
      const since = series.since ?? until - 60_000;
      return readRange(
        series,
        since,
        until,
        config.evaluationIntervalMs,
        series.metrics ?? METRICS,
      );
    },

    async history(series) {
      const until = series.until ?? wallClock();
      const since = Math.max(series.since ?? until - 15 * 60_000, until - HISTORY_MAX_MS);
      const step = Math.max(
        config.evaluationIntervalMs,
        Math.ceil((until - since) / HISTORY_POINTS),
      );
      const window = await readRange(series, since, until, step, METRICS);
      if (window.gap && window.samples.length === 0) throw new MetricsUnavailableError(window.gap);
      return window.samples;
    },

    flagEvaluations: prometheusFlagEvaluations({ environment, config, client, now: wallClock }),
  };
}

/** Runs at most `max` tasks at once; the others wait their turn, first come first served. */
function slots(max: number) {
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  return async function limited<T>(task: () => Promise<T>): Promise<T> {
    while (inFlight >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    try {
      return await task();
    } finally {
      inFlight--;
      waiting.shift()?.();
    }
  };
}

function missingOf(answer: { missing: string } | object | undefined): string {
  return answer && 'missing' in answer ? answer.missing : '';
}
