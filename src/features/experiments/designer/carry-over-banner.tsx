import type { Experiment, ExperimentSpecInput } from '@/domain';
import { describeCount } from './blast-radius-preview';
import { useBlastRadiusPreview } from './use-blast-radius-preview';

/** Why the previous stage is not a clean pass, or null when it completed. */
export function previousStageWarning(previous: Experiment): string | null {
  if (previous.state === 'completed') return null;
  const outcome = previous.run?.outcome;
  let why: string = previous.state === 'draft' ? 'it never ran' : previous.state;
  if (outcome?.kind === 'aborted') why = `aborted: ${outcome.description}`;
  else if (outcome?.kind === 'halted') why = `halted by ${outcome.by}`;
  else if (outcome?.kind === 'interrupted') why = `interrupted: ${outcome.reason}`;
  return `The ${previous.environment} run did not complete cleanly (${why}). Find out why before carrying it to the next stage.`;
}

interface CarryOverBannerProps {
  previous: Experiment;
  /** The copy as it stands in the draft (it may have been edited since). */
  copy: Pick<ExperimentSpecInput, 'environment' | 'service' | 'blastRadius'>;
}

/** "Carried over from … in staging. The blast radius is resolved again in production: 7 of 27 containers (it was 3 of 12 in staging)." */
export function CarryOverBanner({ previous, copy }: CarryOverBannerProps) {
  const warning = previousStageWarning(previous);
  const noun = previous.blastRadius.scope === 'hosts' ? 'hosts' : 'containers';
  const hereView = useBlastRadiusPreview(copy);
  const thereView = useBlastRadiusPreview(previous);
  const here = hereView.instances.length ? describeCount(hereView.preview) : '…';
  const there = previous.run
    ? `${previous.run.targets.length} of ${previous.run.matchingCount} ${noun}`
    : thereView.instances.length
      ? describeCount(thereView.preview)
      : '…';
  return (
    <div className="flex flex-col gap-2">
      <p className="rounded-md border border-accent/60 bg-accent/10 px-3 py-2 text-sm">
        Carried over from “{previous.name}” in {previous.environment}. The blast radius is resolved
        again in {copy.environment}: <strong>{here}</strong> (it was {there} in{' '}
        {previous.environment}).
      </p>
      {warning && (
        <p
          role="alert"
          className="rounded-md border border-warn bg-warn/10 px-3 py-2 text-sm font-semibold text-warn"
        >
          {warning}
        </p>
      )}
    </div>
  );
}
