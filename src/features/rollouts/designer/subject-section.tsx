import { Field, inputClass } from '@/components/field';
import { ENVIRONMENTS } from '@/domain/environments';
import type { Fleet } from '@/domain/fleet';
import type { RolloutDraft } from './rollout-draft';

interface SubjectSectionProps {
  draft: RolloutDraft;
  issues: Record<string, string>;
  fleet: Fleet | undefined;
  /** Flag keys to choose from; absent while the backend offers no flag rollouts. */
  flagKeys?: string[] | undefined;
  onChange: (change: (draft: RolloutDraft) => RolloutDraft) => void;
}

/** Environments where a service has a canary host: where a canary can take traffic. */
function canaryEnvironments(fleet: Fleet | undefined, service: string): string[] {
  if (!fleet || !service) return [];
  const found = fleet.instances
    .filter((i) => i.service === service && i.labels.version === 'canary')
    .map((i) => i.environment);
  return ENVIRONMENTS.filter((e) => found.includes(e));
}

/** What is rolled out, where: the kind, the service and environment, the version or flag. */
export function SubjectSection({ draft, issues, fleet, flagKeys, onChange }: SubjectSectionProps) {
  const set = <K extends keyof RolloutDraft>(key: K, value: RolloutDraft[K]) =>
    onChange((d) => ({ ...d, [key]: value }));
  const canaryIn = canaryEnvironments(fleet, draft.service);
  return (
    <section
      aria-labelledby="rollout-subject"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="rollout-subject" className="text-lg font-semibold">
        What and where
      </h2>
      {flagKeys && (
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 font-semibold text-muted">Kind</legend>
          {(['canary', 'flag'] as const).map((kind) => (
            <label key={kind} className="flex items-center gap-2">
              <input
                type="radio"
                name="rollout-kind"
                checked={draft.kind === kind}
                onChange={() => set('kind', kind)}
              />
              {kind === 'canary'
                ? 'Canary: a new version of a service'
                : 'Flag: a flag turned on in steps'}
            </label>
          ))}
        </fieldset>
      )}
      <Field label="Name" error={issues.name}>
        {(control) => (
          <input
            {...control}
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            className={inputClass}
          />
        )}
      </Field>
      <div className="flex flex-wrap gap-4">
        <Field label="Service" error={issues.service}>
          {(control) => (
            <select
              {...control}
              value={draft.service}
              onChange={(e) => set('service', e.target.value)}
              className={inputClass}
            >
              <option value="">Choose a service…</option>
              {fleet?.services.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          label="Rollout environment"
          error={issues.environment}
          hint={
            draft.kind === 'canary' && draft.service
              ? canaryIn.length
                ? `${draft.service} has canary hosts in ${canaryIn.join(' and ')}.`
                : `${draft.service} has no canary host.`
              : undefined
          }
        >
          {(control) => (
            <select
              {...control}
              value={draft.environment}
              onChange={(e) => set('environment', e.target.value as RolloutDraft['environment'])}
              className={inputClass}
            >
              {ENVIRONMENTS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.kind === 'canary' ? (
          <Field label="New version" hint="For example 2.4.0" error={issues.newVersion}>
            {(control) => (
              <input
                {...control}
                value={draft.newVersion}
                onChange={(e) => set('newVersion', e.target.value)}
                className={inputClass}
              />
            )}
          </Field>
        ) : (
          <Field label="Flag" error={issues.flagKey}>
            {(control) => (
              <select
                {...control}
                value={draft.flagKey}
                onChange={(e) => set('flagKey', e.target.value)}
                className={inputClass}
              >
                <option value="">Choose a flag…</option>
                {flagKeys?.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
    </section>
  );
}
