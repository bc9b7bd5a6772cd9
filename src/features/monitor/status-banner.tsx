import { ATTACK_INFO, formatMagnitude } from '@/domain/attacks';
import type { BlastRadius } from '@/domain/blast-radius';
import type { Experiment } from '@/domain/experiment';
import { formatDuration } from '@/domain/ramp';
import { useServerNow } from '@/backend/use-server-now';
import { outcomeText } from '@/lib/outcome-text';
import { runProgress } from '@/lib/run-progress';
import { TargetList } from './target-list';

const TONES: Record<Experiment['state'], string> = {
  draft: 'border-line bg-surface',
  running: 'border-warn bg-warn/10',
  completed: 'border-ok bg-ok/10',
  aborted: 'border-danger bg-danger/15',
  halted: 'border-danger bg-danger/10',
  interrupted: 'border-line bg-surface',
};

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
  const magnitude = formatMagnitude(experiment.attack.type, progress.magnitude);
  const unitsLabel = experiment.blastRadius.scope;

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
        <div>
          <dt className="text-muted">Magnitude now</dt>
          <dd className="font-semibold">{experiment.state === 'running' ? magnitude : '–'}</dd>
        </div>
        <div>
          <dt className="text-muted">Step</dt>
          <dd className="font-semibold">
            {progress.stepIndex === null ? `${progress.stepCount} planned` : `${progress.stepIndex + 1} of ${progress.stepCount}`}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Time left</dt>
          <dd className="font-semibold">
            {experiment.state === 'running' ? formatDuration(progress.leftSeconds) : `${formatDuration(progress.totalSeconds)} planned`}
          </dd>
        </div>
        <div>
          <dt className="text-muted">Blast radius</dt>
          <dd className="font-semibold">
            {run ? `${run.targets.length} of ${run.matchingCount} ${unitsLabel}` : plannedRadius(experiment.blastRadius)}
          </dd>
        </div>
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
    </section>
  );
}
