import { ENVIRONMENTS, environmentSchema, type ExperimentSpecInput, type Fleet } from '@/domain';
import { describeCount } from './blast-radius-preview';
import { ChoiceGroup } from './choice-group';
import { Field, inputClass } from '@/components/field';
import { useHasCapability } from '@/lib/backend-context';
import { FlagSourceField } from './flag-source-field';
import { FleetGrid } from './fleet-grid';
import { LabelSelectorEditor } from './label-selector-editor';
import { NumberInput } from './number-input';
import type { BlastRadiusView } from './use-blast-radius-preview';

type Radius = ExperimentSpecInput['blastRadius'];

interface TargetSectionProps {
  spec: ExperimentSpecInput;
  issues: Record<string, string>;
  fleet: Fleet | undefined;
  view: BlastRadiusView;
  onChange: (update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
}

const DEFAULT_VALUE = { all: undefined, count: 1, percent: 25 } as const;

const SOURCES = [
  { value: 'selector', label: 'The whole service' },
  {
    value: 'canary',
    label: 'Its canary',
    hint: 'Inherited from progressive delivery: the canary version only',
  },
  {
    value: 'flag',
    label: "A flag's cohort",
    hint: "Inherited from progressive delivery: the instances serving a flag's on-cohort",
  },
] as const;

/** Service, environment and blast radius, drawn live on the fleet. */
export function TargetSection({ spec, issues, fleet, view, onChange }: TargetSectionProps) {
  const radius = spec.blastRadius;
  const { instances, preview } = view;
  // A canary is a version label on the fleet's instances; a flag's cohort needs flags.
  const hasFlags = useHasCapability('flags');
  const source = radius.source ?? { kind: 'selector' as const };
  const setRadius = (next: Partial<Radius>) =>
    onChange((s) => ({ ...s, blastRadius: { ...s.blastRadius, ...next } }));
  const toggleLabel = (key: string, value: string) => {
    const { [key]: current, ...rest } = radius.selector;
    setRadius({ selector: current === value ? rest : { ...rest, [key]: value } });
  };

  return (
    <section
      aria-labelledby="designer-target"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="designer-target" className="text-lg font-semibold">
        Target
      </h2>
      <div className="flex flex-wrap gap-4">
        <Field label="Service" error={issues.service}>
          {(control) => (
            <select
              {...control}
              value={spec.service}
              onChange={(e) => onChange((s) => ({ ...s, service: e.target.value }))}
              className={inputClass}
            >
              <option value="">Choose a service…</option>
              {fleet?.services.map((service) => (
                <option key={service.name} value={service.name}>
                  {service.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Environment" error={issues.environment}>
          {(control) => (
            <select
              {...control}
              value={spec.environment}
              onChange={(e) =>
                onChange((s) => ({ ...s, environment: environmentSchema.parse(e.target.value) }))
              }
              className={`${inputClass} ${spec.environment === 'production' ? 'border-danger text-danger' : ''}`}
            >
              {ENVIRONMENTS.map((environment) => (
                <option key={environment} value={environment}>
                  {environment}
                </option>
              ))}
            </select>
          )}
        </Field>
        <ChoiceGroup
          legend="Scope"
          value={radius.scope}
          options={[
            { value: 'containers', label: 'Containers' },
            { value: 'hosts', label: 'Hosts', hint: 'A host takes its containers along' },
          ]}
          onChange={(scope) => setRadius({ scope })}
        />
        <ChoiceGroup
          legend="Instances from"
          value={source.kind}
          options={hasFlags ? SOURCES : SOURCES.filter((option) => option.value !== 'flag')}
          onChange={(kind) =>
            setRadius({ source: kind === 'flag' ? { kind, flagKey: '' } : { kind } })
          }
        />
        {hasFlags && source.kind === 'flag' && (
          <FlagSourceField
            service={spec.service}
            flagKey={source.flagKey}
            error={issues['blastRadius.source.flagKey']}
            cohort={view.cohort}
            onChange={(flagKey) => setRadius({ source: { kind: 'flag', flagKey } })}
          />
        )}
      </div>
      <div className="flex flex-wrap items-end gap-4">
        <ChoiceGroup
          legend="How many"
          value={radius.mode}
          options={[
            { value: 'all', label: 'All' },
            { value: 'count', label: 'A count' },
            { value: 'percent', label: 'A percentage' },
          ]}
          onChange={(mode) => setRadius({ mode, value: DEFAULT_VALUE[mode] })}
        />
        {radius.mode !== 'all' && (
          <Field
            label={
              radius.mode === 'count'
                ? `Number of ${preview.noun}s`
                : `Percentage of matching ${preview.noun}s (%)`
            }
            error={issues['blastRadius.value']}
          >
            {(control) => (
              <NumberInput
                {...control}
                value={radius.value}
                onValueChange={(value) => setRadius({ value })}
              />
            )}
          </Field>
        )}
        <p role="status" aria-label="Resolved blast radius" className="ml-auto text-right">
          <span className="block text-2xl font-bold tabular-nums text-target">
            {describeCount(preview)}
          </span>
          <span className="text-xs text-muted">
            {spec.service
              ? `of ${spec.service} in ${spec.environment}`
              : 'choose a service to see its fleet'}
          </span>
        </p>
      </div>
      <LabelSelectorEditor
        selector={radius.selector}
        instances={instances}
        error={issues['blastRadius.selector']}
        onChange={(selector) => setRadius({ selector })}
      />
      {instances.length > 0 ? (
        <FleetGrid
          instances={instances}
          scope={radius.scope}
          resolved={preview.resolved}
          selector={radius.selector}
          onToggleLabel={toggleLabel}
        />
      ) : (
        spec.service && (
          <p className="text-sm text-muted">
            {fleet
              ? `${spec.service} has no instances in ${spec.environment}.`
              : 'Loading the fleet…'}
          </p>
        )
      )}
    </section>
  );
}
