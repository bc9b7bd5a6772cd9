import { ATTACK_INFO, formatMagnitude } from '@/domain/attacks';
import type { BlastRadius } from '@/domain/blast-radius';
import type { Experiment } from '@/domain/experiment';
import { formatDuration } from '@/domain/ramp';
import type { ReactNode } from 'react';
import { useServerNow } from '@/lib/live/use-server-now';
import { outcomeText } from '@/lib/outcome-text';
import { runProgress } from '@/lib/run-progress';
import { HypothesisVerdict } from './hypothesis-verdict';
import { TargetList } from './target-list';

const TONES: Record<Experiment['state'], string> = {
  draft: 'border-line bg-surface',
  running: 'border-warn bg-warn/10',
  completed: 'border-ok bg-ok/10',
  aborted: 'border-danger bg-danger/15',
  halted: 'border-danger bg-danger/10',
  interrupted: 'border-line bg-surface',
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-muted">{label}</dt>
      <dd className="font-semibold">{children}</dd>
    </div>
  );
}

function plannedRadius(radius: BlastRadius): string {
  if (radius.mode === 'all') return `all matching ${radius.scope}`;
  if (radius.mode === 'count') return `${radius.value ?? '?'} ${radius.scope}`;
  return `${radius.value ?? '?'} % of matching ${radius.scope}`;
}

/** What runs, how hard, on which instances, for how long yet — or how it ended and why. */
export function StatusBanner({ experiment }: { experiment: Experiment }) {
  const now = useServerNow();
  const progress = runProgress(experiment, now);
  const attack = ATTACK_INFO[experiment.attack.type].label;
  const run = experiment.run;
  const ended = run !== null && run.endedAt !== null;
  const magnitude = formatMagnitude(
    experiment.attack.type,
    ended && run
      ? experiment.steps[Math.min(run.stepIndex, experiment.steps.length - 1)]?.magnitude
      : progress.magnitude,
  );
  /** The current step, or once the run ended the last one it reached. */
  const shownStep = !run
    ? 0
    : ended
      ? Math.min(run.stepIndex, progress.stepCount - 1)
      : (progress.stepIndex ?? run.stepIndex);
  const where = `${experiment.service} in ${experiment.environment}`;

  let headline: string;
  if (experiment.state === 'running') headline = `Running: ${attack} at ${magnitude} on ${where}`;
  else if (experiment.state === 'draft') headline = `Draft: ${attack} on ${where}, not started`;
  else headline = run?.outcome ? outcomeText(run.outcome) : `${experiment.state}`;

  return (
    <section
      aria-label="Experiment status"
      className={`flex flex-col gap-2 rounded-lg border-2 px-4 py-3 ${TONES[experiment.state]}`}
    >
      <p className="text-lg font-bold" role={experiment.state === 'aborted' ? 'alert' : undefined}>
        {headline}
      </p>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        <Fact label={ended ? 'Magnitude at the end' : 'Magnitude now'}>
          {experiment.state === 'running' || ended ? magnitude : '–'}
        </Fact>
        <Fact label="Step">
          {!run ? `${progress.stepCount} planned` : `${shownStep + 1} of ${progress.stepCount}`}
        </Fact>
        <Fact label={ended ? 'Ran for' : 'Time left'}>
          {experiment.state === 'running'
            ? formatDuration(progress.leftSeconds)
            : ended
              ? `${formatDuration(progress.elapsedSeconds)} of ${formatDuration(progress.totalSeconds)}`
              : `${formatDuration(progress.totalSeconds)} planned`}
        </Fact>
        <Fact label="Blast radius">
          {run
            ? `${run.targets.length} of ${run.matchingCount} ${experiment.blastRadius.scope}`
            : plannedRadius(experiment.blastRadius)}
        </Fact>
      </dl>
      {experiment.state === 'running' && (
        <div
          role="progressbar"
          aria-label="Ramp progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(progress.fraction * 100)}
          className="h-2 overflow-hidden rounded bg-raised"
        >
          <div className="h-full bg-warn" style={{ width: `${progress.fraction * 100}%` }} />
        </div>
      )}
      {run && <TargetList targets={run.targets} />}
      {ended && <HypothesisVerdict verdict={run.verdict} />}
    </section>
  );
}
