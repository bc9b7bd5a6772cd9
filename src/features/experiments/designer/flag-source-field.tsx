import { useQuery } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { flagListQuery } from '@/lib/queries/flags';
import type { FlagCohortInstances } from '@/domain/flags';
import { Field, inputClass } from '@/components/field';

interface FlagSourceFieldProps {
  service: string;
  flagKey: string;
  error: string | undefined;
  cohort: FlagCohortInstances | undefined;
  onChange: (flagKey: string) => void;
}

/** The flag whose on-cohort the blast radius inherits, and where that cohort is served. */
export function FlagSourceField({
  service,
  flagKey,
  error,
  cohort,
  onChange,
}: FlagSourceFieldProps) {
  const backend = useBackend();
  const flags = useQuery(flagListQuery(backend));
  // Flags the service reads first: only their cohorts are served by its instances.
  const sorted = [...(flags.data ?? [])].sort(
    (a, b) =>
      Number(b.services.includes(service)) - Number(a.services.includes(service)) ||
      a.key.localeCompare(b.key),
  );
  const reason = cohort?.refused ?? undefined;
  const served =
    cohort && cohort.refused === null
      ? `${Math.round(cohort.onShare * 100)} % of ${service}'s requests; ` +
        `served by ${cohort.hostIds.length} ${cohort.hostIds.length === 1 ? 'host' : 'hosts'}`
      : undefined;
  return (
    <Field label="Flag" error={error ?? reason} hint={served}>
      {(control) => (
        <select
          {...control}
          value={flagKey}
          onChange={(e) => onChange(e.target.value)}
          className={inputClass}
        >
          <option value="">Choose a flag…</option>
          {sorted.map((flag) => (
            <option key={flag.key} value={flag.key}>
              {flag.key}
              {flag.services.includes(service) ? '' : ' (not read by this service)'}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
