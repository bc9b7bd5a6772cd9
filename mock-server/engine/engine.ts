import { performance } from 'node:perf_hooks';
import {
  ENVIRONMENTS,
  ERROR_CODES,
  METRICS,
  describeCondition,
  formatConditionValue,
  seriesKey,
  stepAt,
  transition,
  withAbort,
  type Experiment,
  type MetricSample,
} from '../../src/domain';
import { SYSTEM_ACTOR } from '../actor';
import {
  isPromise,
  andThen,
  type Backend,
  type Fault,
  type FaultReport,
  type MaybePromise,
  type MetricsReading,
} from '../backends/seams';
import type { CoreContext, MutationScope } from '../context';
import { HttpError, invalidState, notFound, validationFailed, versionConflict } from '../errors';
import type { ExperimentStore } from '../store/experiment-store';
import type { Engine, MissingMetricsPolicy, TickReport } from './engine-api';
import {
  NO_METRICS,
  finish,
  judge,
  newRunState,
  noMetricsOutcome,
  observe,
  verdictOf,
  type RunState,
} from './run-state';
import { attackRefusalFor, resolveTargets, steadyStateViolation } from './start-checks';

export type { Engine, HaltAllFilter, MissingMetricsPolicy, TickReport } from './engine-api';

interface EngineOptions {
  /** Per environment: how long conditions may go unread, and what then (default: 3 beats, abort). */
  missingMetrics?: (environment: Experiment['environment']) => MissingMetricsPolicy;
}

/** Samples older than this many beats drop out of `latestSamples` (a series no longer read). */
const LATEST_KEPT_BEATS = 10;

export function createEngine(
  ctx: CoreContext,
  backend: Backend,
  store: ExperimentStore,
  options: EngineOptions = {},
): Engine {
  const runs = new Map<string, RunState>();
  const listeners = new Set<(report: TickReport) => void>();
  const latest = new Map<string, MetricSample>();
  const policyOf =
    options.missingMetrics ??
    (() => ({ graceMs: 3 * ctx.config.tickMs, onMissing: 'abort' as const }));
  let ticks = 0;
  let pending: Promise<TickReport> | null = null;
  const target = (id: string) => ({ type: 'experiment', id });

  function save(experiment: Experiment): Experiment {
    store.save(experiment);
    return experiment;
  }

  /** Hands a fault to the injector; what it could not do, or a failure, is reported, never thrown. */
  function inject(what: string, experimentId: string, call: () => MaybePromise<FaultReport>): void {
    const report = (result: FaultReport) => {
      for (const failed of result.failed)
        console.warn(
          `faultline: experiment ${experimentId}: could not ${what} on ${failed.instanceId}: ${failed.reason}`,
        );
    };
    const fail = (error: unknown) =>
      console.error(`faultline: experiment ${experimentId}: could not ${what}`, error);
    try {
      const result = call();
      if (isPromise(result)) result.then(report, fail);
      else report(result);
    } catch (error) {
      fail(error);
    }
  }

  function faultOf(experiment: Experiment, magnitude: number | undefined): Fault {
    return {
      experimentId: experiment.id,
      service: experiment.service,
      environment: experiment.environment,
      attack: experiment.attack.type,
      magnitude,
      instanceIds: experiment.run?.targets ?? [],
    };
  }

  function removeFault(experiment: Experiment): void {
    inject('remove the fault', experiment.id, () =>
      backend.faults.remove({
        experimentId: experiment.id,
        instanceIds: experiment.run?.targets ?? [],
      }),
    );
  }

  /**
   * The abort's hooks (opening its incident), inside its transaction. The abort always stands: a
   * hook that throws is rolled back to its own savepoint, its rows and events dropped, and reported.
   */
  function runAbortHooks(aborted: Experiment, scope: MutationScope): void {
    for (const hook of ctx.extensions.abortHooks) {
      const queued: (() => void)[] = [];
      const hookScope: MutationScope = {
        audit: (...row) => queued.push(() => scope.audit(...row)),
        publish: (event) => queued.push(() => scope.publish(event)),
      };
      try {
        ctx.db.transaction(() => hook(aborted, hookScope))();
        for (const apply of queued) apply();
      } catch (error) {
        console.error(
          `faultline: experiment ${aborted.id} is aborted, but a step after the abort failed`,
          error,
        );
      }
    }
  }

  /** The verdict of a running experiment's hypothesis; null when the engine holds no run of it (after a restart). */
  function verdictFor(id: string) {
    const run = runs.get(id);
    return run ? verdictOf(run) : null;
  }

  function end(
    run: RunState,
    to: 'completed' | 'aborted',
    outcome: Parameters<typeof finish>[2],
    now: number,
  ): Experiment {
    const before = run.experiment;
    const after = ctx.mutate(
      SYSTEM_ACTOR,
      `experiment.${to === 'completed' ? 'complete' : 'abort'}`,
      target(before.id),
      (scope) => {
        const judged = verdictOf(run);
        const verdict = outcome.kind === 'aborted' ? withAbort(judged, outcome) : judged;
        const ended = save(finish(before, to, outcome, now, verdict));
        scope.publish({ type: 'experiment', change: to, experiment: ended });
        if (to === 'aborted') runAbortHooks(ended, scope);
        return { before, after: ended, result: ended };
      },
    );
    runs.delete(before.id);
    removeFault(before);
    return after;
  }

  function advanceRamps(now: number, report: TickReport): void {
    for (const run of [...runs.values()]) {
      const experiment = run.experiment;
      const startedAt = experiment.run?.startedAt ?? now;
      const step = stepAt(experiment.steps, (now - startedAt) / 1000);
      if (!step) {
        report.completed.push(end(run, 'completed', { kind: 'completed', at: now }, now));
      } else if (experiment.run && step.index !== experiment.run.stepIndex) {
        const moved = { ...experiment.run, stepIndex: step.index };
        run.experiment = ctx.mutate(
          SYSTEM_ACTOR,
          'experiment.step',
          target(experiment.id),
          (scope) => {
            const after = save({
              ...experiment,
              version: experiment.version + 1,
              updatedAt: now,
              run: moved,
            });
            scope.publish({ type: 'experiment', change: 'stepped', experiment: after });
            return { before: experiment, after, result: after };
          },
        );
        const stepped = run.experiment;
        inject('change the magnitude', stepped.id, () =>
          backend.faults.change(faultOf(stepped, step.magnitude)),
        );
        report.stepped.push(stepped);
      }
    }
  }

  function running(): Experiment[] {
    return [...runs.values()].map((r) => r.experiment);
  }

  function interruptAll(reason: string): Experiment[] {
    const now = ctx.clock.now();
    const interrupted = store.withState('running').map((before) =>
      ctx.mutate(SYSTEM_ACTOR, 'experiment.interrupt', target(before.id), (scope) => {
        const after = save(
          finish(before, 'interrupted', { kind: 'interrupted', at: now, reason }, now),
        );
        scope.publish({ type: 'experiment', change: 'interrupted', experiment: after });
        return { before, after, result: after };
      }),
    );
    runs.clear();
    for (const experiment of interrupted) removeFault(experiment);
    return interrupted;
  }

  /** A draft that may be started with this request, or the reason it may not. */
  function startable(
    id: string,
    input: { version: number; confirmEnvironment?: Experiment['environment'] },
  ): Experiment {
    const before = store.get(id);
    if (!before) throw notFound(`experiment ${id}`);
    if (before.version !== input.version) throw versionConflict(before);
    if (before.state !== 'draft')
      throw invalidState(`only a draft can be started; this experiment is ${before.state}`, before);
    if (before.environment === 'production' && input.confirmEnvironment !== 'production') {
      throw validationFailed([
        {
          path: 'confirmEnvironment',
          message: 'type "production" to confirm a start in production',
        },
      ]);
    }
    return before;
  }

  const refuse = (reason: string, details: Record<string, unknown> = {}) =>
    new HttpError(422, ERROR_CODES.refused, reason, { reason, ...details });

  /** Folds one evaluation's reading into the runs: publish, judge, abort at once. */
  function evaluate(report: TickReport, reading: MetricsReading): TickReport {
    const now = report.t;
    report.samples = reading.samples;
    report.gaps = reading.gaps;
    for (const sample of reading.samples) latest.set(seriesKey(sample), sample);
    for (const [key, sample] of latest)
      if (now - sample.t > LATEST_KEPT_BEATS * ctx.config.tickMs) latest.delete(key);
    const sampledAt = performance.now();
    if (reading.samples.length > 0 || reading.gaps.length > 0)
      ctx.bus.publish({
        type: 'metrics',
        t: now,
        samples: reading.samples,
        ...(reading.gaps.length > 0 ? { gaps: reading.gaps.map(publicGap) } : {}),
      });
    for (const run of [...runs.values()]) {
      observe(run, reading.samples, ctx.config.tickMs);
      let outcome = judge(run, reading, now);
      const policy = policyOf(run.experiment.environment);
      if (!outcome && run.unreadSince !== null && now - run.unreadSince >= policy.graceMs) {
        if (policy.onMissing === 'abort') outcome = noMetricsOutcome(run, now);
        else if (!run.warned) {
          run.warned = true;
          console.warn(
            `faultline: experiment ${run.experiment.id} keeps running although its conditions cannot be evaluated (${run.unreadReason})`,
          );
        }
      }
      if (!outcome) continue;
      const experiment = end(run, 'aborted', outcome, now);
      report.aborted.push({ experiment, reactionMs: performance.now() - sampledAt });
    }
    for (const listener of listeners) listener(report);
    return report;
  }

  /**
   * The source's reading, or, when it has not come within the longest grace of any environment
   * (a source's own timeouts are shorter), a gap for each running experiment: a beat never waits
   * on a source that does not answer, so ramps, aborts and "no metrics" go on. A reading that
   * comes later is dropped.
   */
  function answeredWithin(reading: Promise<MetricsReading>): Promise<MetricsReading> {
    const waitMs = Math.max(...ENVIRONMENTS.map((environment) => policyOf(environment).graceMs));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unanswered = new Promise<MetricsReading>((resolve) => {
      timer = setTimeout(() => resolve(unansweredReading(waitMs)), waitMs);
    });
    return Promise.race([reading, unanswered]).finally(() => clearTimeout(timer));
  }

  function unansweredReading(waitMs: number): MetricsReading {
    const reason = `the metrics source did not answer within ${waitMs} ms`;
    console.warn(`faultline: ${reason}; every running experiment counts it as unread`);
    const metrics = [...METRICS];
    return {
      samples: [],
      gaps: [...runs.values()].flatMap(({ experiment: { id, service, environment } }) => [
        { service, environment, group: 'target' as const, experimentId: id, metrics, reason },
        { service, environment, group: 'all' as const, metrics, reason },
      ]),
    };
  }

  /** The whole service's samples over the experiment's longest window, up to now. */
  function steadyStateWindow(experiment: Experiment) {
    const now = ctx.clock.now();
    const longest = Math.max(0, ...experiment.abortConditions.map((c) => c.windowSeconds));
    return backend.metrics.window({
      service: experiment.service,
      environment: experiment.environment,
      group: 'all',
      since: now - longest * 1000 - ctx.config.tickMs,
      until: now,
      metrics: [...new Set(experiment.abortConditions.map((c) => c.metric))],
    });
  }

  return {
    recover: () => interruptAll('the server stopped while the experiment was running'),

    steadyState(id) {
      const experiment = store.get(id);
      if (!experiment) throw notFound(`experiment ${id}`);
      const checkedAt = ctx.clock.now();
      if (experiment.abortConditions.length === 0) return { holds: true, checkedAt, samples: 0 };
      return andThen(steadyStateWindow(experiment), ({ samples, gap }) => {
        if (samples.length === 0)
          throw new HttpError(
            503,
            ERROR_CODES.metricsUnavailable,
            `the steady state of ${experiment.service} in ${experiment.environment} cannot be read${gap ? ` (${gap})` : ''}`,
          );
        const violation = steadyStateViolation(experiment, samples);
        if (violation) {
          const condition = experiment.abortConditions[violation.conditionIndex];
          const what = condition
            ? `"${describeCondition(condition)}" holds now (${formatConditionValue(condition, violation.value)})`
            : violation.reason;
          throw new HttpError(503, ERROR_CODES.steadyStateBroken, `steady state broken: ${what}`, {
            conditionIndex: violation.conditionIndex,
            value: violation.value,
          });
        }
        return { holds: true as const, checkedAt, samples: samples.length };
      });
    },
    interruptAll,

    start(id, input, actor) {
      const draft = startable(id, input);
      const inventory = backend.inventory;
      const canary = new Set(inventory.canaryOf(draft.service, draft.environment).map((i) => i.id));
      const resolved = resolveTargets(
        draft,
        inventory.instancesOf(draft.service, draft.environment),
        ctx.extensions,
        (instance) => canary.has(instance.id),
      );
      if ('refused' in resolved) throw refuse(resolved.refused);
      const refusal = attackRefusalFor(draft, resolved.selected);
      if (refusal) throw refuse(refusal, { attack: draft.attack.type });
      return andThen(steadyStateWindow(draft), ({ samples, gap }) => {
        if (samples.length === 0)
          throw refuse(
            `${NO_METRICS}: the steady state of ${draft.service} in ${draft.environment} cannot be read${gap ? ` (${gap})` : ''}`,
            { noMetrics: true },
          );
        const violation = steadyStateViolation(draft, samples);
        if (violation) throw refuse(violation.reason, violation);
        // The source may have answered later: the draft must still be the one that was checked.
        const before = startable(id, input);
        const at = ctx.clock.now();
        const started = ctx.mutate(actor, 'experiment.start', target(id), (scope) => {
          const after = save({
            ...before,
            state: transition(before.state, 'running'),
            version: before.version + 1,
            updatedAt: at,
            run: {
              startedAt: at,
              startedBy: actor.name,
              targets: resolved.selected.map((i) => i.id),
              matchingCount: resolved.matching.length,
              stepIndex: 0,
              endedAt: null,
              outcome: null,
            },
          });
          scope.publish({
            type: 'experiment',
            change: 'started',
            experiment: after,
            by: actor.name,
          });
          return { before, after, result: after };
        });
        runs.set(id, newRunState(started));
        inject('apply the fault', id, () =>
          backend.faults.apply(faultOf(started, stepAt(started.steps, 0)?.magnitude)),
        );
        return started;
      });
    },

    halt(id, actor, reason) {
      const before = store.get(id);
      if (!before) throw notFound(`experiment ${id}`);
      if (before.state === 'draft')
        throw invalidState('a draft is not running: there is nothing to halt', before);
      if (before.state !== 'running') return before;
      const now = ctx.clock.now();
      const halted = ctx.mutate(actor, 'experiment.halt', target(id), (scope) => {
        const after = save(
          finish(
            before,
            'halted',
            {
              kind: 'halted',
              at: now,
              by: actor.name,
              haltAll: false,
              ...(reason ? { reason } : {}),
            },
            now,
            verdictFor(id),
          ),
        );
        scope.publish({ type: 'experiment', change: 'halted', experiment: after, by: actor.name });
        return { before, after, result: after };
      });
      runs.delete(id);
      removeFault(before);
      return halted;
    },

    haltAll(filter, actor) {
      const now = ctx.clock.now();
      const label = [filter.environment ?? '*', filter.service ?? '*'].join('/');
      const stopped: Experiment[] = [];
      const result = ctx.mutate(actor, 'halt-all', { type: 'fleet', id: label }, (scope) => {
        const matching = store
          .withState('running')
          .filter(
            (e) =>
              (!filter.environment || e.environment === filter.environment) &&
              (!filter.service || e.service === filter.service),
          );
        const halted = matching.map((before) => {
          const after = save(
            finish(
              before,
              'halted',
              { kind: 'halted', at: now, by: actor.name, haltAll: true },
              now,
              verdictFor(before.id),
            ),
          );
          scope.audit('experiment.halt', target(before.id), before, after);
          scope.publish({
            type: 'experiment',
            change: 'halted',
            experiment: after,
            by: actor.name,
          });
          return after;
        });
        stopped.push(...halted);
        const flagsKilled = ctx.extensions.haltAllHooks.flatMap((hook) =>
          hook(
            {
              actor,
              halted,
              killFlags: filter.killFlags ?? false,
              environment: filter.environment,
              service: filter.service,
            },
            scope,
          ),
        );
        const ids = halted.map((e) => e.id);
        scope.publish({
          type: 'halt-all',
          by: actor.name,
          halted: ids,
          environment: filter.environment,
          service: filter.service,
          ...(flagsKilled.length > 0 ? { flagsKilled } : {}),
        });
        return {
          before: { running: ids, filter },
          after: { halted: ids, flagsKilled },
          result: { halted: ids, flagsKilled },
        };
      });
      for (const id of result.halted) runs.delete(id);
      for (const experiment of stopped) removeFault(experiment);
      return result;
    },

    tick() {
      if (pending) return pending;
      const now = ctx.clock.now();
      const report: TickReport = {
        index: ++ticks,
        t: now,
        samples: [],
        gaps: [],
        aborted: [],
        completed: [],
        stepped: [],
      };
      advanceRamps(now, report);
      const reading = backend.metrics.latest({
        now,
        experiments: [...runs.values()].map((r) => r.groups),
      });
      const done = andThen(isPromise(reading) ? answeredWithin(reading) : reading, (r) =>
        evaluate(report, r),
      );
      if (!isPromise(done)) return done;
      const waiting = done.finally(() => {
        pending = null;
      });
      pending = waiting;
      return waiting;
    },

    running,
    latestSamples: () => [...latest.values()],

    onTick(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A gap as the stream carries it: what is missing and why, without the partial values. */
function publicGap(gap: MetricsReading['gaps'][number]) {
  return {
    service: gap.service,
    environment: gap.environment,
    group: gap.group,
    ...(gap.experimentId ? { experimentId: gap.experimentId } : {}),
    metrics: gap.metrics,
    reason: gap.reason.slice(0, 500),
  };
}
