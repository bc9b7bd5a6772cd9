import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { OtherEnvironmentNote } from '@/components/other-environment-note';
import { rolloutSubject, type Rollout } from '@/domain/rollouts';
import { formatDateTime } from '@/lib/format';
import { rolloutQuery } from '@/lib/queries/rollouts';
import { RolloutAnalyses } from './rollout-analyses';
import { RolloutCharts } from './rollout-charts';
import { RolloutControls } from './rollout-controls';
import { RolloutStateBadge } from './rollout-state-badge';
import { RolloutStepChart } from './rollout-step-chart';
import { kindLabel, stepLabel, stepTimeLabel } from './rollout-text';

function Reason({ rollout }: { rollout: Rollout }) {
  if (!rollout.reason) return null;
  const bad = rollout.state === 'rolled-back' || rollout.state === 'aborted';
  return (
    <p
      role="status"
      aria-label="Reason"
      className={`max-w-5xl rounded-md border px-3 py-2 text-sm ${bad ? 'border-danger/60 bg-danger/10' : 'border-warn/60 bg-warn/10'}`}
    >
      {rollout.reason}
    </p>
  );
}

function Header({ rollout }: { rollout: Rollout }) {
  const stepTime = stepTimeLabel(rollout);
  return (
    <header className="flex flex-col gap-3">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link to="/rollouts" className="underline-offset-2 hover:underline">
          Rollouts
        </Link>{' '}
        / {rollout.spec.name}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{rollout.spec.name}</h1>
        <RolloutStateBadge state={rollout.state} />
        <span className="text-muted">
          {kindLabel(rollout.spec)} · {rolloutSubject(rollout.spec)} · {stepLabel(rollout)}
        </span>
      </div>
      <p className="text-xs text-muted">
        Started {formatDateTime(rollout.createdAt)} by {rollout.createdBy}
        {rollout.spec.kind === 'flag' && (
          <>
            {' · '}
            <Link
              to={`/flags/${encodeURIComponent(rollout.spec.flagKey)}`}
              className="text-accent underline-offset-2 hover:underline"
            >
              flag {rollout.spec.flagKey}
            </Link>
            {rollout.spec.variant && <> serving {rollout.spec.variant}</>}
            {rollout.expectedShare !== null && (
              <> to {(rollout.expectedShare * 100).toFixed(1)} % of its users now</>
            )}
          </>
        )}
        {stepTime && <> · {stepTime}, once its analysis passes</>}
      </p>
      <OtherEnvironmentNote shown={rollout.spec.environment} what="This rollout runs in" />
      <Reason rollout={rollout} />
      <RolloutControls rollout={rollout} />
    </header>
  );
}

/** One rollout: where it stands, its controls, its weight over time, live charts and the judge's numbers. */
export function RolloutPage() {
  const { id = '' } = useParams();
  const backend = useBackend();
  const rollout = useQuery(rolloutQuery(backend, id));
  if (rollout.error)
    return <ErrorMessage error={rollout.error} retry={() => void rollout.refetch()} />;
  if (!rollout.data) return <p className="text-muted">Loading the rollout…</p>;
  return (
    <div className="flex flex-col gap-5">
      <Header rollout={rollout.data} />
      <section aria-labelledby="weight-heading" className="flex flex-col gap-2">
        <h2 id="weight-heading" className="text-lg font-bold">
          Weight over time
        </h2>
        <RolloutStepChart rollout={rollout.data} />
      </section>
      <RolloutCharts rollout={rollout.data} />
      <RolloutAnalyses rollout={rollout.data} />
    </div>
  );
}
