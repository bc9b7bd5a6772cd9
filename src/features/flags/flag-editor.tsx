import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import { isBackendError } from '@/backend/errors';
import { useBackend } from '@/lib/backend-context';
import { segmentListQuery } from '@/lib/queries/flags';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { FlagSwitch } from '@/components/flag-switch/flag-switch';
import { OtherEnvironmentNote } from '@/components/other-environment-note';
import { useViewSettings } from '@/lib/view-settings';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import type { Flag } from '@/domain/flags';
import { issuesByPath } from '@/domain/validation';
import { updateTargeting } from './draft-edits';
import { EnvironmentTabs } from './environment-tabs';
import { EvaluationPreview } from './evaluation-preview';
import { Field, inputClass } from '@/components/field';
import { draftOf, newFlagDraft, readDraft, type FlagDraft } from './flag-draft';
import { FlagDangerZone } from './flag-danger-zone';
import { FlagHistory } from './flag-history';
import { useFlagDrafts } from './flag-draft-store';
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
  const draftKey = latest ? `edit:${latest.key}` : 'new';
  const putDraft = useFlagDrafts((s) => s.put);
  const discardDraft = useFlagDrafts((s) => s.discard);
  const [stored] = useState(() => useFlagDrafts.getState().drafts[draftKey]);
  const [baseVersion, setBaseVersion] = useState<number | null>(
    stored ? stored.baseVersion : (latest?.version ?? null),
  );
  const [draft, setDraft] = useState<FlagDraft>(
    () => stored?.draft ?? (latest ? draftOf(latest) : newFlagDraft()),
  );
  const [unsaved, setUnsaved] = useState(stored !== undefined);
  // The header's environment is where every screen starts.
  const [environment, setEnvironment] = useState<Environment>(
    () => useViewSettings.getState().environment,
  );
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const read = useMemo(() => readDraft(draft), [draft]);
  const save = useSaveFlag(baseVersion);
  const errors = submitted ? { ...read.errors, ...serverErrors } : serverErrors;
  const edit = (next: FlagDraft) => {
    setDraft(next);
    setUnsaved(true);
    setServerErrors({});
    putDraft(draftKey, { draft: next, baseVersion });
  };
  const errorCounts = Object.fromEntries(
    ENVIRONMENTS.map((env) => [
      env,
      Object.keys(errors).filter((p) => p.startsWith(`environments.${env}.`)).length,
    ]),
  );
  const changedElsewhere = baseVersion !== null && latest !== null && latest.version > baseVersion;
  /**
   * A switch made here changes only the state, which the form does not edit for a saved flag:
   * the draft moves onto the new version, keeping what was typed.
   */
  const switched = (flag: Flag) => {
    if (baseVersion !== null && flag.version !== baseVersion + 1) return;
    setBaseVersion(flag.version);
    setDraft((current) => {
      const next = {
        ...current,
        environments: Object.fromEntries(
          ENVIRONMENTS.map((env) => [
            env,
            { ...current.environments[env], state: flag.environments[env].state },
          ]),
        ) as FlagDraft['environments'],
      };
      if (unsaved) putDraft(draftKey, { draft: next, baseVersion: flag.version });
      return next;
    });
  };
  const stateOf = (env: Environment) =>
    latest ? latest.environments[env].state : draft.environments[env].state;

  const submit = () => {
    setSubmitted(true);
    if (!read.spec) return;
    save.mutate(read.spec, {
      onSuccess: (saved) => {
        discardDraft(draftKey);
        setBaseVersion(saved.version);
        setDraft(draftOf(saved));
        setUnsaved(false);
        setSubmitted(false);
        if (!latest) void navigate(`/flags/${encodeURIComponent(saved.key)}`, { replace: true });
      },
      onError: (error) => {
        if (isBackendError(error) && error.issues.length > 0)
          setServerErrors(
            issuesByPath(error.issues.map((i) => ({ ...i, path: i.path.replace(/^spec\./, '') }))),
          );
      },
    });
  };
  /** Drops what was typed and starts again from the server's current flag. */
  const startOver = () => {
    discardDraft(draftKey);
    setBaseVersion(latest?.version ?? null);
    setDraft(latest ? draftOf(latest) : newFlagDraft());
    setUnsaved(false);
    setSubmitted(false);
    setServerErrors({});
    save.reset();
  };

  return (
    <form
      aria-label={latest ? `Flag ${latest.key}` : 'New flag'}
      noValidate
      onSubmit={(e) => (e.preventDefault(), submit())}
      className="grid gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(18rem,2fr)]"
    >
      <div className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="font-mono text-2xl font-bold">{latest ? latest.key : 'New flag'}</h1>
          <div className="flex items-center gap-2">
            {unsaved && (
              <>
                <span className="text-sm text-warn">Unsaved changes</span>
                <button
                  type="button"
                  onClick={startOver}
                  className="rounded-md border border-line px-3 py-1.5 text-sm"
                >
                  Discard changes
                </button>
              </>
            )}
            {canWrite && (
              <button
                type="submit"
                disabled={save.isPending}
                className="rounded-md bg-accent px-4 py-1.5 text-sm font-semibold text-bg hover:brightness-110 disabled:opacity-50"
              >
                {save.isPending ? 'Saving…' : latest ? 'Save flag' : 'Create flag'}
              </button>
            )}
          </div>
        </div>
        {changedElsewhere && (
          <div
            role="alert"
            className="flex flex-wrap items-center gap-3 rounded-md border border-warn/60 bg-warn/10 px-3 py-2 text-sm"
          >
            {latest?.updatedBy} saved version {latest?.version} while you were editing.
            <button
              type="button"
              onClick={startOver}
              className="rounded border border-line px-2 py-0.5 font-semibold"
            >
              Load their version (drops your changes)
            </button>
          </div>
        )}
        {submitted && !read.spec && (
          <p
            role="alert"
            className="rounded-md border border-danger/60 bg-danger/10 px-3 py-2 text-sm"
          >
            Not saved: {Object.keys(read.errors).length} field(s) to fix, marked in red.
          </p>
        )}
        {save.error && !(isBackendError(save.error) && save.error.issues.length > 0) && (
          <ErrorMessage error={save.error} />
        )}
        <section
          aria-label="Basics"
          className="grid gap-3 rounded-lg border border-line bg-surface p-4 sm:grid-cols-2"
        >
          {!latest && (
            <Field label="Key" error={errors.key} hint="Applications ask for the flag by this key.">
              {(control) => (
                <input
                  {...control}
                  className={`${inputClass} font-mono`}
                  value={draft.key}
                  onChange={(e) => edit({ ...draft, key: e.target.value })}
                />
              )}
            </Field>
          )}
          <Field
            label="Services"
            error={errors.services}
            hint="Comma-separated: the services that read this flag."
          >
            {(control) => (
              <input
                {...control}
                className={inputClass}
                value={draft.servicesText}
                onChange={(e) => edit({ ...draft, servicesText: e.target.value })}
              />
            )}
          </Field>
          <Field label="Description" error={errors.description} className="sm:col-span-2">
            {(control) => (
              <input
                {...control}
                className={inputClass}
                value={draft.description}
                onChange={(e) => edit({ ...draft, description: e.target.value })}
              />
            )}
          </Field>
        </section>
        <VariantsSection draft={draft} isNew={!latest} errors={errors} onChange={edit} />
        <section
          aria-label="Targeting"
          className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
        >
          <h2 className="text-lg font-bold">Targeting</h2>
          <OtherEnvironmentNote shown={environment} what="These tabs show" />
          <EnvironmentTabs
            selected={environment}
            onSelect={setEnvironment}
            errorCounts={errorCounts}
            states={
              Object.fromEntries(ENVIRONMENTS.map((e) => [e, stateOf(e)])) as Record<
                Environment,
                'on' | 'off'
              >
            }
          >
            <TargetingEditor
              environment={environment}
              targeting={draft.environments[environment]}
              variants={draft.variants.map((v) => v.name)}
              defaultVariant={draft.defaultVariant}
              segments={segments}
              errors={errors}
              onChange={(targeting) => edit(updateTargeting(draft, environment, () => targeting))}
              {...(latest
                ? {
                    stateSwitch: (
                      <div className="flex flex-wrap items-start gap-3 text-sm">
                        <span className="font-semibold">
                          {stateOf(environment) === 'on'
                            ? `On in ${environment}`
                            : `Off in ${environment}: everyone gets the off variant`}
                        </span>
                        <FlagSwitch
                          key={environment}
                          flagKey={latest.key}
                          environment={environment}
                          state={stateOf(environment)}
                          onSwitched={switched}
                        />
                      </div>
                    ),
                  }
                : {})}
            />
          </EnvironmentTabs>
          <FlagdJsonView spec={read.spec} environment={environment} segments={segments} />
        </section>
        {latest && canWrite && <FlagDangerZone flag={latest} />}
      </div>
      <div className="flex flex-col gap-4 lg:sticky lg:top-4 lg:self-start">
        <EvaluationPreview spec={read.spec} environment={environment} segments={segments} />
        {latest && <FlagHistory flagKey={latest.key} />}
      </div>
    </form>
  );
}
