import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { isApiError } from '@/backend/api-error';
import { useBackend } from '@/backend/backend-context';
import { segmentListQuery } from '@/backend/flags-queries';
import { useCan } from '@/backend/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import type { Flag } from '@/domain/flags';
import { issuesByPath } from '@/domain/validation';
import { updateTargeting } from './draft-edits';
import { EnvironmentTabs } from './environment-tabs';
import { EvaluationPreview } from './evaluation-preview';
import { Field, inputClass } from './field';
import { draftOf, newFlagDraft, readDraft, type FlagDraft } from './flag-draft';
import { FlagDangerZone } from './flag-danger-zone';
import { FlagHistory } from './flag-history';
import { FlagdJsonView } from './flagd-json-view';
import { TargetingEditor } from './targeting-editor';
import { useSaveFlag } from './use-flag-actions';
import { VariantsSection } from './variants-section';

/** Creates a flag (`latest` null) or edits one; `latest` is the server's current version of it. */
export function FlagEditor({ latest }: { latest: Flag | null }) {
  const backend = useBackend();
  const navigate = useNavigate();
  const canWrite = useCan('flag.write');
  const segments = useQuery(segmentListQuery(backend)).data ?? [];
  const [base, setBase] = useState<Flag | null>(latest);
  const [draft, setDraft] = useState<FlagDraft>(() => (latest ? draftOf(latest) : newFlagDraft()));
  const [environment, setEnvironment] = useState<Environment>('production');
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const read = useMemo(() => readDraft(draft), [draft]);
  const save = useSaveFlag(base?.version ?? null);
  const errors = submitted ? { ...read.errors, ...serverErrors } : serverErrors;
  const edit = (next: FlagDraft) => {
    setDraft(next);
    setServerErrors({});
  };
  const errorCounts = Object.fromEntries(ENVIRONMENTS.map((env) => [env, Object.keys(errors).filter((p) => p.startsWith(`environments.${env}.`)).length]));
  const changedElsewhere = base !== null && latest !== null && latest.version > base.version;

  const submit = () => {
    setSubmitted(true);
    if (!read.spec) return;
    save.mutate(read.spec, {
      onSuccess: (saved) => {
        setBase(saved);
        setDraft(draftOf(saved));
        setSubmitted(false);
        if (!base) void navigate(`/flags/${encodeURIComponent(saved.key)}`, { replace: true });
      },
      onError: (error) => {
        if (isApiError(error) && error.issues.length > 0) setServerErrors(issuesByPath(error.issues.map((i) => ({ ...i, path: i.path.replace(/^spec\./, '') }))));
      },
    });
  };
  const loadLatest = () => {
    if (!latest) return;
    setBase(latest);
    setDraft(draftOf(latest));
    save.reset();
  };

  return (
    <form aria-label={base ? `Flag ${base.key}` : 'New flag'} noValidate onSubmit={(e) => (e.preventDefault(), submit())} className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(18rem,2fr)]">
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="font-mono text-2xl font-bold">{base ? base.key : 'New flag'}</h1>
          {canWrite && (
            <button type="submit" disabled={save.isPending} className="rounded-md bg-accent px-4 py-1.5 text-sm font-semibold text-bg hover:brightness-110 disabled:opacity-50">
              {save.isPending ? 'Saving…' : base ? 'Save flag' : 'Create flag'}
            </button>
          )}
        </div>
        {changedElsewhere && (
          <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-warn/60 bg-warn/10 px-3 py-2 text-sm">
            {latest?.updatedBy} saved version {latest?.version} while you were editing.
            <button type="button" onClick={loadLatest} className="rounded border border-line px-2 py-0.5 font-semibold">
              Load their version
            </button>
          </div>
        )}
        {submitted && !read.spec && (
          <p role="alert" className="rounded-md border border-danger/60 bg-danger/10 px-3 py-2 text-sm">
            Not saved: {Object.keys(read.errors).length} field(s) to fix, marked in red.
          </p>
        )}
        {save.error && !(isApiError(save.error) && save.error.issues.length > 0) && <ErrorMessage error={save.error} />}
        <section aria-label="Basics" className="grid gap-3 rounded-lg border border-line bg-surface p-4 sm:grid-cols-2">
          {!base && (
            <Field label="Key" error={errors.key} hint="Applications ask for the flag by this key.">
              {(control) => <input {...control} className={`${inputClass} font-mono`} value={draft.key} onChange={(e) => edit({ ...draft, key: e.target.value })} />}
            </Field>
          )}
          <Field label="Services" error={errors.services} hint="Comma-separated: the services that read this flag.">
            {(control) => <input {...control} className={inputClass} value={draft.servicesText} onChange={(e) => edit({ ...draft, servicesText: e.target.value })} />}
          </Field>
          <Field label="Description" error={errors.description} className="sm:col-span-2">
            {(control) => <input {...control} className={inputClass} value={draft.description} onChange={(e) => edit({ ...draft, description: e.target.value })} />}
          </Field>
        </section>
        <VariantsSection draft={draft} isNew={!base} errors={errors} onChange={edit} />
        <section aria-label="Targeting" className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4">
          <h2 className="text-lg font-bold">Targeting</h2>
          <EnvironmentTabs selected={environment} onSelect={setEnvironment} errorCounts={errorCounts} states={Object.fromEntries(ENVIRONMENTS.map((e) => [e, draft.environments[e].state])) as Record<Environment, 'on' | 'off'>}>
            <TargetingEditor
              environment={environment}
              targeting={draft.environments[environment]}
              variants={draft.variants.map((v) => v.name)}
              defaultVariant={draft.defaultVariant}
              segments={segments}
              errors={errors}
              onChange={(targeting) => edit(updateTargeting(draft, environment, () => targeting))}
            />
          </EnvironmentTabs>
          <FlagdJsonView spec={read.spec} environment={environment} segments={segments} />
        </section>
        {base && canWrite && <FlagDangerZone flag={base} />}
      </div>
      <div className="flex flex-col gap-4 lg:sticky lg:top-4 lg:self-start">
        <EvaluationPreview spec={read.spec} environment={environment} segments={segments} />
        {base && <FlagHistory flagKey={base.key} />}
      </div>
    </form>
  );
}
