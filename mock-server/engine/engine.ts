import { performance } from 'node:perf_hooks';
import {
  ERROR_CODES,
  stepAt,
  transition,
  type Environment,
  type Experiment,
  type HaltAllResponse,
  type MetricSample,
  type User,
} from '../../src/domain';
import { SYSTEM_ACTOR, type Actor, type CoreContext, type MutationScope } from '../context';
import { HttpError, invalidState, notFound, validationFailed, versionConflict } from '../errors';
import type { Simulation } from '../simulation/simulation';
import type { ExperimentStore } from '../store/experiment-store';
import { finish, judge, newRunState, type RunState } from './run-state';
import { resolveTargets, steadyStateViolation } from './start-checks';

export interface TickReport {
  /** 1 for the first tick after the engine was built. */
  index: number;
  /** epoch ms of the samples */
  t: number;
  samples: MetricSample[];
  /** Experiments that ended in this tick, each with the time from sampling to the abort saved, in ms. */
  aborted: { experiment: Experiment; reactionMs: number }[];
  completed: Experiment[];
  stepped: Experiment[];
}

export interface HaltAllFilter {
  environment?: Environment;
  service?: string;
  killFlags?: boolean;
}

export interface Engine {
  /** Marks experiments left running by a previous process as interrupted: nothing keeps injecting. */
  recover(): Experiment[];
  /** On shutdown: every running experiment becomes interrupted, so none is left "running" unwatched. */
  interruptAll(reason: string): Experiment[];
  start(
    id: string,
    input: { version: number; confirmEnvironment?: Environment },
    actor: User,
  ): Experiment;
  /** `reason`: why, when the halt comes from elsewhere (a rollout that failed its analysis). */
  halt(id: string, actor: Actor, reason?: string): Experiment;
  haltAll(filter: HaltAllFilter, actor: Actor): HaltAllResponse;
  /** One beat: move ramps on, sample the fleet, publish, judge every abort condition, abort at once. */
  tick(): TickReport;
  running(): Experiment[];
  onTick(listener: (report: TickReport) => void): () => void;
}

export function createEngine(
  ctx: CoreContext,
  simulation: Simulation,
  store: ExperimentStore,
): Engine {
  const runs = new Map<string, RunState>();
  const listeners = new Set<(report: TickReport) => void>();
  let ticks = 0;
  const target = (id: string) => ({ type: 'experiment', id });

  function save(experiment: Experiment): Experiment {
    store.save(experiment);
    return experiment;
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
        const ended = save(finish(before, to, outcome, now));
        scope.publish({ type: 'experiment', change: to, experiment: ended });
        if (to === 'aborted') runAbortHooks(ended, scope);
        return { before, after: ended, result: ended };
      },
    );
    runs.delete(before.id);
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
        report.stepped.push(run.experiment);
      }
    }
  }

  function recentServiceSamples(experiment: Experiment, now: number): MetricSample[] {
    const longest = Math.max(0, ...experiment.abortConditions.map((c) => c.windowSeconds));
    const since = now - longest * 1000 - ctx.config.tickMs;
    const recent = simulation.history.query({
      service: experiment.service,
      environment: experiment.environment,
      group: 'all',
      since,
    });
    if (recent.length > 0) return recent;
    return simulation
      .measure(now, running())
      .filter(
        (s) =>
          s.group === 'all' &&
          !s.cohort &&
          s.service === experiment.service &&
          s.environment === experiment.environment,
      );
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
    return interrupted;
  }

  return {
    recover: () => interruptAll('the server stopped while the experiment was running'),
    interruptAll,

    start(id, input, actor) {
      const before = store.get(id);
      if (!before) throw notFound(`experiment ${id}`);
      if (before.version !== input.version) throw versionConflict(before);
      if (before.state !== 'draft')
        throw invalidState(
          `only a draft can be started; this experiment is ${before.state}`,
          before,
        );
      if (before.environment === 'production' && input.confirmEnvironment !== 'production') {
        throw validationFailed([
          {
            path: 'confirmEnvironment',
            message: 'type "production" to confirm a start in production',
          },
        ]);
      }
      const now = ctx.clock.now();
      const resolved = resolveTargets(
        before,
        simulation.instancesOf(before.service, before.environment),
        ctx.extensions,
      );
      if ('refused' in resolved)
        throw new HttpError(422, ERROR_CODES.refused, resolved.refused, {
          reason: resolved.refused,
        });
      const violation = steadyStateViolation(before, recentServiceSamples(before, now));
      if (violation) throw new HttpError(422, ERROR_CODES.refused, violation.reason, violation);

      const started = ctx.mutate(actor, 'experiment.start', target(id), (scope) => {
        const after = save({
          ...before,
          state: transition(before.state, 'running'),
          version: before.version + 1,
          updatedAt: now,
          run: {
            startedAt: now,
            startedBy: actor.name,
            targets: resolved.selected.map((i) => i.id),
            matchingCount: resolved.matching.length,
            stepIndex: 0,
            endedAt: null,
            outcome: null,
          },
        });
        scope.publish({ type: 'experiment', change: 'started', experiment: after, by: actor.name });
        return { before, after, result: after };
      });
      runs.set(id, newRunState(started));
      return started;
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
          ),
        );
        scope.publish({ type: 'experiment', change: 'halted', experiment: after, by: actor.name });
        return { before, after, result: after };
      });
      runs.delete(id);
      return halted;
    },

    haltAll(filter, actor) {
      const now = ctx.clock.now();
      const label = [filter.environment ?? '*', filter.service ?? '*'].join('/');
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
      return result;
    },

    tick() {
      const now = ctx.clock.now();
      const report: TickReport = {
        index: ++ticks,
        t: now,
        samples: [],
        aborted: [],
        completed: [],
        stepped: [],
      };
      advanceRamps(now, report);
      report.samples = simulation.tick(now, running());
      const sampledAt = performance.now();
      ctx.bus.publish({ type: 'metrics', t: now, samples: report.samples });
      for (const run of [...runs.values()]) {
        const outcome = judge(run, report.samples);
        if (!outcome) continue;
        const experiment = end(run, 'aborted', outcome, now);
        report.aborted.push({ experiment, reactionMs: performance.now() - sampledAt });
      }
      for (const listener of listeners) listener(report);
      return report;
    },

    running,

    onTick(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
