import { Field, inputClass } from '@/components/field';
import { ENVIRONMENTS } from '@/domain/environments';
import type { Flag } from '@/domain/flags';
import type { Fleet } from '@/domain/fleet';
import type { RolloutDraft } from './rollout-draft';

interface SubjectSectionProps {
  draft: RolloutDraft;
  issues: Record<string, string>;
  fleet: Fleet | undefined;
  /** Flags to choose from (those the service reads); absent when the backend has no flags. */
  flags?: Flag[] | undefined;
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
export function SubjectSection({ draft, issues, fleet, flags, onChange }: SubjectSectionProps) {
  const set = <K extends keyof RolloutDraft>(key: K, value: RolloutDraft[K]) =>
    onChange((d) => ({ ...d, [key]: value }));
  const canaryIn = canaryEnvironments(fleet, draft.service);
  const flag = flags?.find((f) => f.key === draft.flagKey);
  const variants = flag ? Object.keys(flag.variants).filter((v) => v !== flag.offVariant) : [];
  return (
    <section
      aria-labelledby="rollout-subject"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="rollout-subject" className="text-lg font-semibold">
        What and where
      </h2>
      {flags && (
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
          <>
            <Field
              label="Flag"
              error={issues.flagKey}
              hint={draft.service ? `Flags ${draft.service} reads.` : undefined}
            >
              {(control) => (
                <select
                  {...control}
                  value={draft.flagKey}
                  onChange={(e) =>
                    onChange((d) => ({ ...d, flagKey: e.target.value, variant: '' }))
                  }
                  className={inputClass}
                >
                  <option value="">Choose a flag…</option>
                  {flags?.map((f) => (
                    <option key={f.key} value={f.key}>
                      {f.key}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              label="Variant rolled out"
              error={issues.variant}
              hint={flag ? `The rest get ${flag.offVariant}, the off variant.` : undefined}
            >
              {(control) => (
                <select
                  {...control}
                  value={draft.variant}
                  onChange={(e) => set('variant', e.target.value)}
                  className={inputClass}
                >
                  <option value="">
                    {variants[0] ? `${variants[0]} (first)` : 'First other than off'}
                  </option>
                  {variants.map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </>
        )}
      </div>
    </section>
  );
}
