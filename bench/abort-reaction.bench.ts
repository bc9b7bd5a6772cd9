import { buildApp } from '../mock-server/app';
import { ManualClock } from '../mock-server/clock';
import type { TickReport } from '../mock-server/engine/engine';
import {
  activeInjections,
  initialConditionState,
  stepCondition,
  type ConditionState,
  type Experiment,
  type ExperimentSpec,
} from '../src/domain';
import { summarize, type BenchResult } from './bench-result';

export const name = 'abort reaction';

const RUNS = 100;
/**
 * The shortest tick the server allows (FAULTLINE_TICK_MS ≥ 100): reacting within it keeps the
 * abort in the same tick at any rate, in ms.
 */
const REACTION_BUDGET_MS = 100;

/** Calm for 5 s, then saturating: the 5xx condition trips 3 s into the second step. */
const spec = (index: number): ExperimentSpec => ({
  name: `Abort reaction ${index}`,
  hypothesis: 'Checkout sheds load without errors under CPU saturation.',
  notes: '',
  environment: 'staging',
  service: 'checkout',
  blastRadius: {
    scope: 'containers',
    selector: {},
    mode: 'percent',
    value: 25,
    source: { kind: 'selector' },
  },
  attack: { type: 'cpu' },
  steps: [
    { magnitude: 30, durationSeconds: 5 },
    { magnitude: 60, durationSeconds: 60 },
  ],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 1,
      windowSeconds: 3,
      scope: 'target',
    },
    { kind: 'rising', metric: 'latency_p99', delta: 5000, windowSeconds: 10, scope: 'target' },
  ],
});

/** The tick whose target sample first makes a condition hold, judged apart from the engine. */
function breachingTick(reports: readonly TickReport[], experiment: Experiment): number | null {
  const states: ConditionState[] = experiment.abortConditions.map(initialConditionState);
  for (const report of reports) {
    const sample = report.samples.find(
      (s) => s.group === 'target' && s.experimentId === experiment.id,
    );
    if (!sample) continue;
    for (const [i, condition] of experiment.abortConditions.entries()) {
      const step = stepCondition(condition, states[i] ?? initialConditionState(condition), {
        t: sample.t,
        value: sample.values[condition.metric],
      });
      states[i] = step.state;
      if (step.verdict.holds) return report.index;
    }
  }
  return null;
}

export async function run(): Promise<BenchResult[]> {
  const clock = new ManualClock();
  const { app, engine, context } = await buildApp({
    database: ':memory:',
    clock,
    sampleData: false,
    ticking: false,
    config: { tickMs: 1000 },
  });
  const user = { name: 'sam-sre', displayName: 'Sam', role: 'sre' as const };
  const ticks: number[] = [];
  const millis: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const now = clock.now();
      const draft: Experiment = {
        ...spec(i),
        id: `bench-${i}`,
        lineageId: `bench-${i}`,
        state: 'draft',
        version: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: user.name,
        run: null,
      };
      context.experiments.insert(draft);
      const started = await engine.start(draft.id, { version: 1 }, user);
      const reports: TickReport[] = [];
      let removedAt: number | null = null;
      // Bounded: the ramp lasts 65 s.
      for (let t = 0; t < 70 && removedAt === null; t++) {
        clock.advance(1000);
        const report = await engine.tick();
        reports.push(report);
        const stored = context.experiments.get(started.id);
        if (stored && activeInjections(stored, clock.now()).length === 0) {
          removedAt = report.index;
          const aborted = report.aborted.find((a) => a.experiment.id === started.id);
          if (aborted) millis.push(aborted.reactionMs);
        }
      }
      const breach = breachingTick(reports, started);
      if (breach === null || removedAt === null)
        throw new Error(`run ${i}: no abort (breach ${breach}, removed ${removedAt})`);
      ticks.push(removedAt - breach);
      // Let checkout settle, or the next start's steady-state check rightly refuses.
      for (let t = 0; t < 15; t++) {
        clock.advance(1000);
        await engine.tick();
      }
    }
  } finally {
    await app.close();
  }
  return [
    summarize('breaching sample → injections removed', 'ticks', ticks, 0),
    summarize('breaching sample → abort saved', 'ms', millis, REACTION_BUDGET_MS),
  ];
}
