import type { Experiment } from '@/domain/experiment';
import { rampSchedule, stepAt, totalDurationSeconds } from '@/domain/ramp';

interface RunProgress {
  /** 0-based index of the step in force, or null outside the ramp. */
  stepIndex: number | null;
  stepCount: number;
  magnitude: number | undefined;
  elapsedSeconds: number;
  totalSeconds: number;
  leftSeconds: number;
  /** 0–1 */
  fraction: number;
}

/** Where a running experiment stands in its ramp at `now` (epoch ms). */
export function runProgress(
  experiment: Pick<Experiment, 'steps' | 'run'>,
  now: number,
): RunProgress {
  const totalSeconds = totalDurationSeconds(experiment.steps);
  const run = experiment.run;
  const end = run?.endedAt ?? now;
  const elapsedSeconds = run
    ? Math.max(0, Math.min(totalSeconds, (end - run.startedAt) / 1000))
    : 0;
  const step = run && run.endedAt === null ? stepAt(experiment.steps, elapsedSeconds) : null;
  const first = rampSchedule(experiment.steps)[0];
  return {
    stepIndex: step?.index ?? null,
    stepCount: experiment.steps.length,
    magnitude: step ? step.magnitude : first?.magnitude,
    elapsedSeconds,
    totalSeconds,
    leftSeconds: Math.max(0, totalSeconds - elapsedSeconds),
    fraction: totalSeconds === 0 ? 0 : elapsedSeconds / totalSeconds,
  };
}
