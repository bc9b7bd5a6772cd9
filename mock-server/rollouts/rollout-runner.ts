import { randomUUID } from 'node:crypto';
import {
  ACTIVE_ROLLOUT_STATES,
  CONTROL_FROM,
  MAX_ROLLOUT_ANALYSES,
  MAX_ROLLOUT_WEIGHTS,
  describeSampleRatio,
  describeVerdict,
  judgeMetric,
  METRIC_INFO,
  judgeSettingsFor,
  rolloutSides,
  sampleRatioCheck,
  stepPromotableAt,
  type FlagRolloutSpec,
  type MetricSample,
  type Rollout,
  type RolloutAnalysisRecord,
  type RolloutControl,
  type RolloutSpec,
  type RolloutState,
} from '../../src/domain';
import { SYSTEM_ACTOR, type Actor, type CoreContext, type MutationScope } from '../context';
import type { CohortRequests } from '../backends/seams';
import { invalidState, notFound } from '../errors';
import type { FlagDriver } from './flag-driver';
import { requestSampleRatio } from './request-split';
import type { RolloutStore } from './rollout-store';
import {
  addTick,
  emptyStepSamples,
  metricTicks,
  sampleCount,
  sidesOf,
  type StepSamples,
} from './step-samples';

/** Told, once its rollback has committed, of a rollout that failed its analysis. */
type RolloutFailedListener = (failed: Rollout) => void;

export interface RolloutRunner {
  create(spec: RolloutSpec, actor: Actor): Rollout;
  control(id: string, control: RolloutControl, actor: Actor, reason?: string): Rollout;
  /**
   * Holds (a chaos abort) or pauses (halt all) every progressing rollout on a service in an
   * environment, in `scope`. With `killFlags`, every active flag rollout there also sends its
   * flag to off, saying so in its reason; their keys come back in `flagsKilled`.
   */
  holdAll(
    filter: { service?: string; environment?: string },
    reason: string,
    scope: MutationScope,
    state: 'held' | 'paused',
    killFlags?: { actor: Actor },
  ): { rollouts: Rollout[]; flagsKilled: string[] };
  /** One beat: collect the step's samples, judge when due, move steps on. */
  tick(now: number, samples: readonly MetricSample[]): void;
  /** After a restart: every progressing rollout starts its current step again, never a later one. */
  recover(): Rollout[];
  /** Rollouts still sending traffic to their new side (progressing, paused, held), from a cache. */
  active(): readonly Rollout[];
  failedListeners: RolloutFailedListener[];
}

/**
 * Counts a flag rollout's cohorts' requests from `since` to `until` (epoch ms) where a real service
 * serves the traffic; null where the backend's own users send it (they are counted instead).
 */
type RequestSplit = (
  spec: FlagRolloutSpec,
  since: number,
  until: number,
) => Promise<CohortRequests> | null;

/** The latest count of a flag rollout's cohorts' real requests in its current step. */
interface CountedSplit {
  stepIndex: number;
  stepStartedAt: number;
  on: number;
  off: number;
}

const target = (id: string) => ({ type: 'rollout', id });

export function rolloutRunner(
  ctx: CoreContext,
  store: RolloutStore,
  flags?: FlagDriver,
  requestSplit?: RequestSplit,
): RolloutRunner {
  const buffers = new Map<string, StepSamples>();
  const counted = new Map<string, CountedSplit>();
  /** Rollouts whose split is being counted: one count at a time each. */
  const counting = new Set<string>();
  const failedListeners: RolloutFailedListener[] = [];
  // Read on every measurement of every service, so kept in memory; dropped on every write.
  let activeCache: Rollout[] | null = null;
  const active = () => (activeCache ??= store.inStates(ACTIVE_ROLLOUT_STATES));

  function next(before: Rollout, now: number, patch: Partial<Rollout>): Rollout {
    const after: Rollout = { ...before, ...patch, version: before.version + 1, updatedAt: now };
    if (after.weight !== before.weight) {
      after.weights = [...before.weights, { t: now, weight: after.weight }].slice(
        -MAX_ROLLOUT_WEIGHTS,
      );
    }
    return after;
  }

  /**
   * A flag rollout moves its flag with it, in the same change: to the new weight when the weight
   * changes (or when it goes live again: resume, retry), to off when it is rolled back or aborted.
   */
  function driveFlag(
    actor: Actor,
    before: Rollout | null,
    after: Rollout,
    scope: MutationScope,
    reassert = false,
  ): Rollout {
    if (after.spec.kind !== 'flag' || !flags) return after;
    const wasLive = before !== null && ACTIVE_ROLLOUT_STATES.includes(before.state);
    if (after.state === 'rolled-back' || after.state === 'aborted') {
      if (wasLive) flags.kill(actor, after.spec, scope);
      return { ...after, expectedShare: null };
    }
    if (!wasLive || reassert || after.weight !== before.weight) {
      return { ...after, expectedShare: flags.roll(actor, after.spec, after.weight, scope) };
    }
    return after;
  }

  function write(
    actor: Actor,
    action: string,
    before: Rollout,
    build: (scope: MutationScope) => Rollout,
    reassert = false,
  ): Rollout {
    const result = ctx.mutate(actor, action, target(before.id), (scope) => {
      const after = driveFlag(actor, before, build(scope), scope, reassert);
      store.save(after);
      scope.publish({ type: 'resource', resource: 'rollouts', id: after.id, change: action });
      return { before, after, result: after };
    });
    buffers.delete(result.id);
    counted.delete(result.id);
    activeCache = null;
    return result;
  }

  function withAnalysis(r: Rollout, analysis: RolloutAnalysisRecord): Rollout['analyses'] {
    return [...r.analyses, analysis].slice(-MAX_ROLLOUT_ANALYSES);
  }

  /** Moves to the next step, or finishes at 100 % when there is none (or it is at 100 %). */
  function stepPatch(r: Rollout, now: number): Partial<Rollout> {
    const nextIndex = r.stepIndex + 1;
    const step = r.spec.steps[nextIndex];
    if (!step || r.spec.steps[r.stepIndex]?.weight === 100) {
      return { state: 'succeeded', weight: 100, reason: null };
    }
    const done = step.weight >= 100;
    return {
      state: done ? 'succeeded' : 'progressing',
      stepIndex: nextIndex,
      weight: step.weight,
      stepStartedAt: now,
      reason: null,
    };
  }

  function analyse(r: Rollout, buffer: StepSamples, now: number): RolloutAnalysisRecord {
    const sides = rolloutSides(r.spec);
    const judgements = r.spec.analysis.metrics.map((metric) => {
      const { target, control } = metricTicks(buffer, metric);
      const verdict = judgeMetric(
        metric,
        target,
        control,
        judgeSettingsFor(r.spec.analysis, metric),
      );
      return { metric, verdict, text: describeVerdict(verdict, { ...sides, metric }) };
    });
    const outcome = judgements.some((j) => j.verdict.regression)
      ? 'fail'
      : judgements.some((j) => j.verdict.outcome === 'not-enough-data')
        ? 'not-enough-data'
        : 'pass';
    return { t: now, stepIndex: r.stepIndex, weight: r.weight, outcome, judgements };
  }

  /**
   * Where a real service serves a flag rollout's traffic, counts its cohorts' requests since the
   * step started, one count at a time; the check reads the latest answer. False where the
   * backend's users send the traffic.
   */
  function countRequests(r: Rollout, now: number): boolean {
    if (r.spec.kind !== 'flag' || !requestSplit) return false;
    if (counting.has(r.id)) return true;
    const step = { stepIndex: r.stepIndex, stepStartedAt: r.stepStartedAt };
    const count = requestSplit(r.spec, r.stepStartedAt, now);
    if (!count) return false;
    counting.add(r.id);
    count
      .then((split) => {
        // No count (Prometheus down) is no evidence: the check waits for one, as the judge does.
        if ('gap' in split) return;
        const current = active().find((a) => a.id === r.id);
        if (current?.stepIndex === step.stepIndex && current.stepStartedAt === step.stepStartedAt)
          counted.set(r.id, { ...step, on: split.on, off: split.off });
      })
      .catch((error: unknown) => {
        console.error(`faultline: rollout ${r.id}: its requests could not be counted`, error);
      })
      .finally(() => counting.delete(r.id));
    return true;
  }

  /**
   * Flag rollouts: the step's split against the share the rollout expects. A real service's is
   * its requests counted by cohort; the simulation's, its users (each sends the same traffic,
   * so a share of its requests is a share of users).
   */
  function sampleRatioOf(r: Rollout, buffer: StepSamples, real: boolean) {
    if (r.spec.kind !== 'flag' || !flags || r.expectedShare === null) return null;
    const target = rolloutSides(r.spec).target;
    if (real) {
      const split = counted.get(r.id);
      if (split?.stepIndex !== r.stepIndex || split.stepStartedAt !== r.stepStartedAt) return null;
      const check = requestSampleRatio(split.on, split.off, r.expectedShare);
      return { check, labels: { target, units: 'requests' } };
    }
    const traffic = buffer.targetRequests + buffer.controlRequests;
    const units = flags.units();
    if (!(traffic > 0) || units === 0) return null;
    // The test counts users (the units a flag buckets), never requests, which are not
    // independent of each other.
    const onUnits = (units * buffer.targetRequests) / traffic;
    const check = sampleRatioCheck(onUnits, units - onUnits, r.expectedShare);
    return { check, labels: { target, units: 'users' } };
  }

  /** Holds a flag rollout whose traffic is not split as it says; true when it did. */
  function holdOnMismatch(
    r: Rollout,
    now: number,
    ratio: ReturnType<typeof sampleRatioOf>,
  ): boolean {
    if (ratio?.check.outcome !== 'mismatch') return false;
    const reason =
      `held: sample ratio mismatch: ${describeSampleRatio(ratio.check, ratio.labels)}; ` +
      'the metrics of a split that is not the one asked for are not trusted ' +
      '(the flag was changed outside the rollout, or traffic is not split as it says); ' +
      'resume when it is understood';
    const record: RolloutAnalysisRecord = {
      t: now,
      stepIndex: r.stepIndex,
      weight: r.weight,
      outcome: 'sample-ratio-mismatch',
      judgements: [],
      sampleRatio: ratio.check,
    };
    write(SYSTEM_ACTOR, 'rollout.hold', r, () =>
      next(r, now, { state: 'held', reason, analyses: withAnalysis(r, record) }),
    );
    return true;
  }

  function tickOne(r: Rollout, now: number, samples: readonly MetricSample[]): void {
    let buffer = buffers.get(r.id);
    if (!buffer || buffer.stepIndex !== r.stepIndex || buffer.stepStartedAt !== r.stepStartedAt) {
      buffer = emptyStepSamples(r.stepIndex, r.stepStartedAt, r.spec.analysis.minSamples);
      buffers.set(r.id, buffer);
    }
    if (r.spec.kind === 'flag' && flags) {
      const problem = flags.problem(r.spec);
      if (problem) {
        const reason = `held: ${problem}; the rollout cannot move its flag`;
        write(SYSTEM_ACTOR, 'rollout.hold', r, () => next(r, now, { state: 'held', reason }));
        return;
      }
    }
    const real = countRequests(r, now);
    const sides = sidesOf(r.spec, samples);
    if (sides) addTick(buffer, r.spec, sides, ctx.config.tickMs);
    const step = r.spec.steps[r.stepIndex];
    if (!step) return;
    const count = sampleCount(buffer, r.spec);
    // A step's wait (or its time) is over; a step that waits for a person never is.
    const promotableAt = stepPromotableAt(step, r.stepStartedAt);
    const waited = promotableAt !== null && now >= promotableAt;
    // The judge looks every minSamples new samples, and once the wait is over: few looks, so
    // a healthy canary is not failed by chance from being judged on every tick.
    const due = count >= buffer.nextLook || (waited && count >= r.spec.analysis.minSamples);
    if (!due) {
      // A real cohort that served nothing leaves the judge without samples: its split says why.
      if (waited && real && holdOnMismatch(r, now, sampleRatioOf(r, buffer, true))) return;
      if (waited && r.reason === null) {
        const sides = rolloutSides(r.spec);
        const reason =
          count === 0
            ? `holding step ${r.stepIndex + 1}: no traffic on both ${sides.target} and ` +
              `${sides.control} yet, so nothing to judge (no traffic is no evidence, never a promotion)`
            : `holding step ${r.stepIndex + 1}: ${count} of ${r.spec.analysis.minSamples} ` +
              'samples each side so far (no traffic is no evidence)';
        write(SYSTEM_ACTOR, 'rollout.wait', r, () => next(r, now, { reason }));
      }
      return;
    }
    buffer.nextLook = count + r.spec.analysis.minSamples;
    const ratio = sampleRatioOf(r, buffer, real);
    if (holdOnMismatch(r, now, ratio)) return;
    const analysis = {
      ...analyse(r, buffer, now),
      ...(ratio ? { sampleRatio: ratio.check } : {}),
    };
    if (analysis.outcome === 'fail') {
      const off =
        r.spec.kind === 'flag' ? `; flag ${r.spec.flagKey} off in ${r.spec.environment}` : '';
      const reason = `rolled back: ${analysis.judgements
        .filter((j) => j.verdict.regression)
        .map((j) => j.text)
        .join('; ')}${off}`;
      const failed = write(SYSTEM_ACTOR, 'rollout.rollback', r, () =>
        next(r, now, {
          state: 'rolled-back',
          weight: 0,
          reason,
          analyses: withAnalysis(r, analysis),
        }),
      );
      for (const listener of failedListeners) {
        try {
          listener(failed);
        } catch (error) {
          console.error(
            `faultline: rollout ${failed.id} rolled back, but a step after it failed`,
            error,
          );
        }
      }
      return;
    }
    if (analysis.outcome === 'not-enough-data') {
      // Enough ticks but too few requests for a share of requests: hold, never promote.
      const short = analysis.judgements
        .filter((j) => j.verdict.outcome === 'not-enough-data')
        .map((j) => METRIC_INFO[j.metric].noun);
      const sides = rolloutSides(r.spec);
      const reason =
        `holding step ${r.stepIndex + 1}: too few requests on ${sides.target} or ` +
        `${sides.control} to judge ${short.join(' and ')} yet (no traffic is no evidence)`;
      if (waited && r.reason !== reason) {
        write(SYSTEM_ACTOR, 'rollout.wait', r, () => next(r, now, { reason }));
      }
      return;
    }
    if (promotableAt === null) {
      write(SYSTEM_ACTOR, 'rollout.await-promotion', r, () =>
        next(r, now, {
          state: 'paused',
          reason: `step ${r.stepIndex + 1} passed its analysis and waits for a person to promote it`,
          analyses: withAnalysis(r, analysis),
        }),
      );
    } else if (waited) {
      write(SYSTEM_ACTOR, 'rollout.step', r, () =>
        next(r, now, { ...stepPatch(r, now), analyses: withAnalysis(r, analysis) }),
      );
    }
  }

  function existing(id: string): Rollout {
    const r = store.get(id);
    if (!r) throw notFound(`rollout ${id}`);
    return r;
  }

  return {
    failedListeners,

    create(spec, actor) {
      const now = ctx.clock.now();
      const first = spec.steps[0]!;
      const rollout: Rollout = {
        id: randomUUID(),
        spec,
        state: 'progressing',
        version: 1,
        createdAt: now,
        createdBy: actor.name,
        updatedAt: now,
        stepIndex: 0,
        weight: first.weight,
        stepStartedAt: now,
        reason: null,
        weights: [{ t: now, weight: first.weight }],
        analyses: [],
        expectedShare: null,
      };
      return ctx.mutate(actor, 'rollout.create', target(rollout.id), (scope) => {
        const created = driveFlag(actor, null, rollout, scope);
        store.insert(created);
        scope.publish({
          type: 'resource',
          resource: 'rollouts',
          id: rollout.id,
          change: 'rollout.create',
        });
        activeCache = null;
        return { before: null, after: created, result: created };
      });
    },

    control(id, control, actor, reason) {
      const before = existing(id);
      if (!CONTROL_FROM[control].includes(before.state)) {
        throw invalidState(
          `a rollout that is ${before.state} cannot be told to ${control}`,
          before,
        );
      }
      const now = ctx.clock.now();
      const because = reason ? `: ${reason}` : '';
      const patch: Partial<Rollout> = (() => {
        switch (control) {
          case 'promote':
            return stepPatch(before, now);
          case 'promote-full':
            return { state: 'succeeded', weight: 100, reason: null };
          case 'pause':
            return { state: 'paused', reason: `paused by ${actor.name}${because}` };
          case 'resume':
            return { state: 'progressing', stepStartedAt: now, reason: null };
          case 'abort':
            return {
              state: 'aborted',
              weight: 0,
              reason:
                `aborted by ${actor.name}${because}: all traffic back on ` +
                (before.spec.kind === 'canary'
                  ? 'stable'
                  : `the off variant (flag ${before.spec.flagKey} off in ${before.spec.environment})`),
            };
          case 'retry': {
            const first = before.spec.steps[0]!;
            return {
              state: 'progressing',
              stepIndex: 0,
              weight: first.weight,
              stepStartedAt: now,
              reason: null,
            };
          }
        }
      })();
      // Resuming a flag rollout sets its flag to the step's weight again, whatever befell it meanwhile.
      return write(
        actor,
        `rollout.${control}`,
        before,
        () => next(before, now, patch),
        control === 'resume',
      );
    },

    holdAll(filter, reason, scope, state, killFlags) {
      const now = ctx.clock.now();
      activeCache = null;
      const moving: readonly RolloutState[] =
        state === 'held' ? ['progressing', 'paused'] : ['progressing'];
      const flagsKilled: string[] = [];
      const rollouts = store
        .inStates(killFlags ? ACTIVE_ROLLOUT_STATES : moving)
        .filter(
          (r) =>
            (!filter.service || r.spec.service === filter.service) &&
            (!filter.environment || r.spec.environment === filter.environment),
        )
        .flatMap((before) => {
          const moves = moving.includes(before.state);
          const killed =
            killFlags && before.spec.kind === 'flag' && flags
              ? flags.kill(killFlags.actor, before.spec, scope)
              : false;
          if (!moves && !killed) return [];
          if (killed && before.spec.kind === 'flag' && !flagsKilled.includes(before.spec.flagKey))
            flagsKilled.push(before.spec.flagKey);
          const off =
            killed && before.spec.kind === 'flag'
              ? `; flag ${before.spec.flagKey} turned off in ${before.spec.environment}`
              : '';
          const after = next(before, now, {
            state: moves ? state : before.state,
            reason: moves ? `${reason}${off}` : `${before.reason ?? before.state}${off}`,
            ...(killed ? { expectedShare: null } : {}),
          });
          store.save(after);
          buffers.delete(after.id);
          counted.delete(after.id);
          scope.audit(
            `rollout.${moves ? (state === 'held' ? 'hold' : 'pause') : 'flag-off'}`,
            target(after.id),
            before,
            after,
          );
          scope.publish({
            type: 'resource',
            resource: 'rollouts',
            id: after.id,
            change: moves ? state : 'flag-off',
          });
          return [after];
        });
      return { rollouts, flagsKilled };
    },

    active,

    tick(now, samples) {
      for (const r of active().filter((a) => a.state === 'progressing')) {
        try {
          tickOne(r, now, samples);
        } catch (error) {
          console.error(`faultline: rollout ${r.id} could not be advanced this tick`, error);
        }
      }
    },

    recover() {
      const now = ctx.clock.now();
      return store.inStates(['progressing']).map((before) =>
        write(SYSTEM_ACTOR, 'rollout.recover', before, () =>
          next(before, now, {
            stepStartedAt: now,
            reason: null,
          }),
        ),
      );
    },
  };
}
