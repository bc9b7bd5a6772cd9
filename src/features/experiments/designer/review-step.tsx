import { useId, useState } from 'react';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import {
  METRIC_INFO,
  riseUnit,
  summarizeExperiment,
  type AbortCondition,
  type Environment,
  type ExperimentSpec,
  type ResolvedBlastRadius,
} from '@/domain';

/** "5xx rate > 1 %, window 10 s, on the blast radius (3 of 12 containers)". */
function conditionLine(condition: AbortCondition, radius: string, service: string): string {
  const info = METRIC_INFO[condition.metric];
  const test =
    condition.kind === 'rising'
      ? `${info.noun} rises by more than ${condition.delta} ${riseUnit(condition)}`
      : `${info.noun} ${condition.comparator} ${condition.threshold} ${info.unit}`;
  const window =
    condition.windowSeconds > 0
      ? `window ${condition.windowSeconds} s`
      : 'no window (the first sample past it)';
  const scope =
    condition.scope === 'service'
      ? `on the whole service (${service})`
      : `on the blast radius (${radius})`;
  return `${test}, ${window}, ${scope}`;
}

interface ReviewStepProps {
  spec: ExperimentSpec;
  resolved: ResolvedBlastRadius;
  /** How many instances of the blast radius' kind the service has in its environment. */
  serviceCount: number;
  /** Why the attack cannot run on the selected instances (packet loss on an agent target). */
  refusal: string | null;
  canStart: boolean;
  /** Whether the person may save a draft (developers may; viewers may not). */
  canSave: boolean;
  starting: boolean;
  error: unknown;
  onBack: () => void;
  onStart: (confirmEnvironment: Environment | undefined) => void;
}

/**
 * The last look before harm: the experiment in one plain paragraph, and a confirm. Production
 * asks for its name typed again, sent to the server as the second confirmation.
 */
export function ReviewStep({
  spec,
  resolved,
  serviceCount,
  refusal,
  canStart,
  canSave,
  starting,
  error,
  onBack,
  onStart,
}: ReviewStepProps) {
  const confirmId = useId();
  const [typed, setTyped] = useState('');
  const production = spec.environment === 'production';
  const confirmed = !production || typed.trim() === spec.environment;
  const nothingHit = resolved.selected.length === 0;
  const noun = spec.blastRadius.scope === 'hosts' ? 'host' : 'container';
  const plural = (n: number) => `${n} ${n === 1 ? noun : `${noun}s`}`;
  const radius = `${resolved.selected.length} of ${plural(resolved.matching.length)}`;

  return (
    <section
      aria-labelledby="designer-review"
      className="flex flex-col gap-4 rounded-lg border border-line bg-surface p-5"
    >
      <h2 id="designer-review" className="text-lg font-semibold">
        Review
      </h2>
      <p aria-label="Summary" className="max-w-3xl text-lg leading-relaxed">
        {summarizeExperiment(spec, resolved)}
      </p>
      <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-muted">Name</dt>
        <dd>{spec.name}</dd>
        <dt className="text-muted">Hypothesis</dt>
        <dd>{spec.hypothesis}</dd>
        {spec.notes && (
          <>
            <dt className="text-muted">Notes</dt>
            <dd className="whitespace-pre-wrap">{spec.notes}</dd>
          </>
        )}
      </dl>
      <div className="flex max-w-3xl flex-col gap-1 text-sm">
        <h3 id={`${confirmId}-conditions`} className="font-semibold text-muted">
          Abort conditions
        </h3>
        <ol aria-labelledby={`${confirmId}-conditions`} className="list-decimal pl-5">
          {spec.abortConditions.map((condition, index) => (
            <li key={index}>{conditionLine(condition, radius, plural(serviceCount))}</li>
          ))}
        </ol>
      </div>
      {nothingHit && (
        <p className="text-sm font-semibold text-danger">
          The blast radius selects no instance: the server will refuse to start.
        </p>
      )}
      {refusal && (
        <p role="alert" className="text-sm font-semibold text-danger">
          {refusal}. The server will refuse to start it.
        </p>
      )}
      {!canStart && (
        <p className="text-sm text-muted">
          {canSave
            ? 'Only an SRE or an admin can start an experiment. Save it as a draft and ask one of them to start it.'
            : 'Only an SRE or an admin can start an experiment, and a viewer cannot save one: ask a developer, an SRE or an admin.'}
        </p>
      )}
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(event) => {
          event.preventDefault();
          if (canStart && confirmed) onStart(production ? spec.environment : undefined);
        }}
      >
        {production && (
          <div className="flex flex-col text-sm">
            <label htmlFor={confirmId} className="font-semibold text-danger">
              This runs in production. Type production to confirm
            </label>
            <input
              id={confirmId}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              className="rounded-md border border-danger bg-raised px-2 py-1"
            />
          </div>
        )}
        <Button
          type="submit"
          tone={production ? 'danger' : 'primary'}
          disabled={!canStart || !confirmed || starting || refusal !== null}
          className="px-5 py-2 text-base"
        >
          {starting ? 'Starting…' : `Start in ${spec.environment}`}
        </Button>
        <Button onClick={onBack}>Back to design</Button>
      </form>
      {error !== null && error !== undefined && (
        <ErrorMessage error={error} className="max-w-3xl" />
      )}
    </section>
  );
}
