import type { RolloutProgress, StatusResponse } from '@/domain/status';

function Progress({ label, percent }: { label: string; percent: number }) {
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      className="h-2 w-full overflow-hidden rounded bg-raised"
    >
      <div className="h-full bg-accent" style={{ width: `${percent}%` }} />
    </div>
  );
}

/** "20 % of users of checkout in staging", or a canary's share of its service's requests. */
function rolloutReach(r: RolloutProgress): string {
  const where = r.environment ? ` in ${r.environment}` : '';
  if (r.kind === 'canary') {
    return `${r.percent} % of ${r.service ?? 'the service'}'s requests served by the new version${where}`;
  }
  return `${r.percent} % of users${r.service ? ` of ${r.service}` : ''}${where}`;
}

/** What is being tested right now: experiments with their progress, flags on their way out. */
export function TestingNow({ testing }: { testing: StatusResponse['testing'] }) {
  const nothing = testing.experiments.length === 0 && testing.rollouts.length === 0;
  return (
    <section aria-labelledby="testing-heading" className="flex flex-col gap-3">
      <h2 id="testing-heading" className="text-xl font-bold">
        Being tested now
      </h2>
      {nothing && (
        <p className="text-muted">No experiment is running and no feature is being rolled out.</p>
      )}
      <ul className="grid gap-3 md:grid-cols-2">
        {testing.experiments.map((e) => (
          <li
            key={e.id}
            className="flex flex-col gap-1.5 rounded-lg border border-warn/60 bg-surface p-3"
          >
            <span className="text-xs font-semibold uppercase tracking-wide text-warn">
              Experiment running
            </span>
            <span className="font-semibold">{e.name}</span>
            <span className="text-sm text-muted">
              Planned test: {e.attack} · {e.service} in {e.environment} · step {e.stepIndex + 1} of{' '}
              {e.stepCount}
            </span>
            <Progress
              label={`${e.name}: ${e.progressPercent} % done`}
              percent={e.progressPercent}
            />
          </li>
        ))}
        {testing.rollouts.map((r) => (
          <li
            key={`${r.kind}-${r.key}-${r.environment}`}
            className="flex flex-col gap-1.5 rounded-lg border border-line bg-surface p-3"
          >
            <span className="text-xs font-semibold uppercase tracking-wide text-accent">
              {r.kind === 'canary' ? 'New version rollout' : 'Feature rollout'}
              {r.waiting ? ' · on hold' : ''}
            </span>
            <span className="font-semibold">{r.key}</span>
            <span className="text-sm text-muted">{rolloutReach(r)}</span>
            <Progress
              label={`${r.key} in ${r.environment ?? 'all environments'}: ${r.percent} % rolled out`}
              percent={r.percent}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
