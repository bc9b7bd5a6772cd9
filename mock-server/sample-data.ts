import { randomUUID } from 'node:crypto';
import {
  buildFromTemplate,
  DEFAULT_ROLLOUT_ANALYSIS,
  describeCondition,
  resolveBlastRadius,
  type Experiment,
  type ExperimentSpec,
  type Outcome,
  type RolloutSpec,
} from '../src/domain';
import { SYSTEM_ACTOR, type ServerContext } from './context';
import type { RolloutRunner } from './rollouts/rollout-runner';
import { migrate } from './store/database';

const HOUR_MS = 3_600_000;

const SAMPLE_DATA_MARKER = '900-sample-data';
const SAMPLE_ROLLOUTS_MARKER = '901-sample-rollouts';

/** Whether `marker` was written: sample data is seeded once per database, like a migration. */
const seeded = (ctx: ServerContext, marker: string) =>
  ctx.db.prepare('SELECT 1 FROM migrations WHERE id = ?').get(marker) !== undefined;

/**
 * A few experiments for a fresh database, so the dashboard has something to show: the CPU
 * experiment that aborts when its second step saturates checkout, a mild latency one that
 * completes, and two finished runs from the past. Runs once per database, like a migration:
 * deleting the samples does not bring them back.
 */
export function seedSampleData(ctx: ServerContext): Experiment[] {
  if (seeded(ctx, SAMPLE_DATA_MARKER)) return [];
  const experiments = sampleExperiments(ctx);
  ctx.db.transaction(() => {
    for (const experiment of experiments) {
      ctx.mutate(
        SYSTEM_ACTOR,
        'experiment.create',
        { type: 'experiment', id: experiment.id },
        () => {
          ctx.experiments.insert(experiment);
          return { before: null, after: experiment, result: experiment };
        },
      );
    }
    migrate(ctx.db, [{ id: SAMPLE_DATA_MARKER, sql: 'SELECT 1' }]);
  })();
  return experiments;
}

function sampleExperiments(ctx: ServerContext): Experiment[] {
  const now = ctx.clock.now();
  const draft = (spec: ExperimentSpec, createdAt: number): Experiment => {
    const id = randomUUID();
    return {
      ...spec,
      id,
      lineageId: id,
      state: 'draft',
      version: 1,
      createdAt,
      updatedAt: createdAt,
      createdBy: 'sam-sre',
      run: null,
    };
  };
  const finished = (spec: ExperimentSpec, startedAt: number, outcome: Outcome): Experiment => {
    const experiment = draft(spec, startedAt - HOUR_MS);
    const resolved = resolveBlastRadius(
      spec.blastRadius,
      ctx.backend.inventory.instancesOf(spec.service, spec.environment),
    );
    return {
      ...experiment,
      state: outcome.kind,
      version: 4,
      updatedAt: outcome.at,
      run: {
        startedAt,
        startedBy: 'sam-sre',
        targets: resolved.selected.map((i) => i.id),
        matchingCount: resolved.matching.length,
        stepIndex: outcome.kind === 'completed' ? spec.steps.length - 1 : 1,
        endedAt: outcome.at,
        outcome,
      },
    };
  };

  const errorBurst = buildFromTemplate('error-burst', {
    service: 'catalog',
    environment: 'testing',
  });
  const burstStart = now - 26 * HOUR_MS;
  const burstCondition = errorBurst.abortConditions[0];
  const shutdown = buildFromTemplate('instance-shutdown', {
    service: 'frontend',
    environment: 'staging',
  });
  const shutdownStart = now - 50 * HOUR_MS;

  const past: Experiment[] = [
    finished(shutdown, shutdownStart, { kind: 'completed', at: shutdownStart + 300_000 }),
  ];
  if (burstCondition) {
    past.push(
      finished(errorBurst, burstStart, {
        kind: 'aborted',
        at: burstStart + 71_000,
        conditionIndex: 0,
        condition: burstCondition,
        description: describeCondition(burstCondition),
        value: 11.8,
        latest: 11.8,
      }),
    );
  }
  return [
    ...past,
    draft(
      {
        ...buildFromTemplate('dependency-latency', {
          service: 'payments',
          environment: 'development',
          dependency: 'the card provider',
        }),
        steps: [
          { magnitude: 50, durationSeconds: 60 },
          { magnitude: 150, durationSeconds: 60 },
        ],
      },
      now - 2 * HOUR_MS,
    ),
    draft(
      buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'staging' }),
      now - HOUR_MS,
    ),
  ];
}

/**
 * Two canary rollouts for a fresh database, paused at their first step so nothing moves until
 * someone presses Resume: a healthy new version of search that the judge promotes step by step,
 * and a new version of catalog whose defect (extra 5xx and latency) the judge rolls back. Both
 * in staging, on services no sample flag splits. Runs once per database, like the experiments.
 */
export function seedSampleRollouts(ctx: ServerContext, runner: RolloutRunner): void {
  if (seeded(ctx, SAMPLE_ROLLOUTS_MARKER)) return;
  const analysis = DEFAULT_ROLLOUT_ANALYSIS;
  const steps = [
    { weight: 10, waitSeconds: 30 },
    { weight: 25, waitSeconds: 30 },
    { weight: 50, waitSeconds: 30 },
    { weight: 100, waitSeconds: 0 },
  ];
  const samples: { spec: RolloutSpec; why: string }[] = [
    {
      spec: {
        kind: 'canary',
        name: 'search: new ranking',
        service: 'search',
        environment: 'staging',
        newVersion: '2.5.0',
        steps,
        analysis,
      },
      why: 'a sample rollout of a healthy version; resume it to watch each step judged and promoted',
    },
    {
      spec: {
        kind: 'canary',
        name: 'catalog: image cache (carries a defect)',
        service: 'catalog',
        environment: 'staging',
        newVersion: '3.1.0',
        steps,
        analysis,
        defect: { fivexxPercent: 4, addedLatencyMs: 120 },
      },
      why: 'a sample rollout whose new version fails 4 % of requests; resume it to watch the judge roll it back',
    },
  ];
  ctx.db.transaction(() => {
    for (const { spec, why } of samples) {
      const rollout = runner.create(spec, SYSTEM_ACTOR);
      runner.control(rollout.id, 'pause', SYSTEM_ACTOR, why);
    }
    migrate(ctx.db, [{ id: SAMPLE_ROLLOUTS_MARKER, sql: 'SELECT 1' }]);
  })();
}
