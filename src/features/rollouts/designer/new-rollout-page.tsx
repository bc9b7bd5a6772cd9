import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useNavigate } from 'react-router';
import { isBackendError } from '@/backend/errors';
import { rolloutKeys } from '@/backend/query-keys';
import { capability, useBackend, useHasCapability } from '@/lib/backend-context';
import { flagListQuery } from '@/lib/queries/flags';
import { useServerNow } from '@/lib/live/use-server-now';
import { useCan } from '@/lib/use-current-user';
import { fleetQuery } from '@/lib/queries/experiments';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { OtherEnvironmentNote } from '@/components/other-environment-note';
import type { RolloutSpec } from '@/domain/rollouts';
import { describePlan } from '../rollout-step-chart';
import { rolloutPath } from '../rollout-text';
import { AnalysisSection } from './analysis-section';
import { DefectSection } from './defect-section';
import { useRolloutDraft, validateDraft } from './rollout-draft';
import { StepsEditor } from './steps-editor';
import { SubjectSection } from './subject-section';

/** Field messages the server sent with a 400, keyed like the form's own. */
function serverIssues(error: unknown): Record<string, string> {
  if (!isBackendError(error)) return {};
  return Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
}

/**
 * The rollout designer: what goes out where, its weight steps and how each is judged. Checked
 * as the person types, each message next to its field; starting creates the rollout, which
 * begins at its first step at once.
 */
export function NewRolloutPage() {
  const backend = useBackend();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const draft = useRolloutDraft((s) => s.draft);
  const update = useRolloutDraft((s) => s.update);
  const reset = useRolloutDraft((s) => s.reset);
  const fleet = useQuery(fleetQuery(backend));
  // Flag rollouts need flags: without them the designer offers canaries only.
  const hasFlags = useHasCapability('flags');
  const flags = useQuery({ ...flagListQuery(backend), enabled: hasFlags });
  // A flag rollout judges the traffic of a service that reads the flag.
  const offered = hasFlags
    ? (flags.data ?? []).filter((f) => !draft.service || f.services.includes(draft.service))
    : undefined;
  const canWrite = useCan('rollout.write');
  // Steps' times are checked against the server's clock, as it checks them on creation.
  const now = useServerNow(10_000);
  const validation = useMemo(() => validateDraft(draft, now), [draft, now]);
  const create = useMutation({
    mutationFn: (spec: RolloutSpec) => capability(backend, 'rollouts').createRollout(spec),
    onSuccess: (rollout) => {
      queryClient.setQueryData(rolloutKeys.rollout(rollout.id), rollout);
      void queryClient.invalidateQueries({ queryKey: rolloutKeys.list });
      void Promise.resolve(navigate(rolloutPath(rollout.id))).then(reset);
    },
  });
  // The server's word on a field (an unknown service, no canary host) until the field changes.
  const fromServer = create.isError ? serverIssues(create.error) : {};
  const issues = { ...fromServer, ...validation.issues };
  const issueCount = Object.keys(issues).length;
  const change: typeof update = (c) => {
    if (create.isError) create.reset();
    update(c);
  };

  return (
    <div className="mx-auto flex max-w-4xl flex-col gap-4 pb-28">
      <nav aria-label="Breadcrumb" className="text-sm text-muted">
        <Link to="/rollouts" className="underline-offset-2 hover:underline">
          Rollouts
        </Link>{' '}
        / new
      </nav>
      <h1 className="text-2xl font-bold">New rollout</h1>
      <OtherEnvironmentNote shown={draft.environment} what="This rollout runs in" />
      <SubjectSection
        draft={draft}
        issues={issues}
        fleet={fleet.data}
        flags={offered}
        onChange={change}
      />
      {fleet.error && <ErrorMessage error={fleet.error} retry={() => void fleet.refetch()} />}
      <section
        aria-labelledby="rollout-steps"
        className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
      >
        <h2 id="rollout-steps" className="text-lg font-semibold">
          Steps
        </h2>
        <p className="text-sm text-muted">
          Each step sends this share of traffic to the new side and is judged as it runs; it moves
          on when its analysis passes after its wait or from its time, or when a person promotes it.
          A step whose analysis finds a regression rolls everything back.
        </p>
        <StepsEditor
          steps={draft.steps}
          issues={issues}
          onChange={(steps) => change((d) => ({ ...d, steps }))}
        />
        {validation.spec && (
          <p className="text-sm">
            <span className="font-semibold">Plan: </span>
            {describePlan({ spec: validation.spec })}
          </p>
        )}
      </section>
      <AnalysisSection draft={draft} issues={issues} onChange={change} />
      <DefectSection draft={draft} issues={issues} onChange={change} />

      <footer className="fixed inset-x-0 bottom-0 z-10 border-t border-line bg-surface/95 px-4 py-3 backdrop-blur">
        <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-3">
          <p className={`text-sm ${issueCount ? 'text-danger' : 'text-ok'}`} aria-live="polite">
            {issueCount
              ? `${issueCount} ${issueCount === 1 ? 'field needs' : 'fields need'} attention before this can start.`
              : 'Ready to start.'}
          </p>
          {create.isError && Object.keys(fromServer).length === 0 && (
            <ErrorMessage error={create.error} />
          )}
          {!canWrite && (
            <p id="start-rollout-reason" className="text-sm text-muted">
              Your role cannot start rollouts: ask a developer, an SRE or an admin.
            </p>
          )}
          <div className="ml-auto flex gap-2">
            <Button onClick={reset}>Clear</Button>
            <Button
              tone="primary"
              {...(!canWrite ? { 'aria-describedby': 'start-rollout-reason' } : {})}
              disabled={!validation.spec || !canWrite || create.isPending}
              aria-busy={create.isPending}
              onClick={() => validation.spec && create.mutate(validation.spec)}
            >
              {create.isPending ? 'Starting…' : 'Start rollout'}
            </Button>
          </div>
        </div>
      </footer>
    </div>
  );
}
