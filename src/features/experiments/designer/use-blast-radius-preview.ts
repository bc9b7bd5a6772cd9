import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useBackend, useHasCapability } from '@/lib/backend-context';
import { flagCohortQuery } from '@/lib/queries/flags';
import { instancesOf, type ExperimentSpecInput, type Instance } from '@/domain';
import type { FlagCohortInstances } from '@/domain/flags';
import { previewBlastRadius, type BlastRadiusPreview } from './blast-radius-preview';
import { fleetQuery } from '@/lib/queries/experiments';

export interface BlastRadiusView {
  instances: Instance[];
  preview: BlastRadiusPreview;
  /** For a blast radius inherited from a flag: where its cohort is served, or why it cannot be. */
  cohort: FlagCohortInstances | undefined;
  cohortError: unknown;
}

/** What a draft's blast radius hits now, over the fleet of its service and environment. */
export function useBlastRadiusPreview(
  spec: Pick<ExperimentSpecInput, 'service' | 'environment' | 'blastRadius'>,
): BlastRadiusView {
  const backend = useBackend();
  const fleet = useQuery(fleetQuery(backend));
  const source = spec.blastRadius.source;
  // A flag's cohort is asked of the flags capability; without it (an imported draft) it is not.
  const hasFlags = useHasCapability('flags');
  const flagKey = hasFlags && source?.kind === 'flag' ? source.flagKey : '';
  const cohort = useQuery({
    ...flagCohortQuery(backend, flagKey, spec.service, spec.environment),
    enabled: flagKey !== '' && spec.service !== '',
  });
  const instances = useMemo(
    () =>
      fleet.data && spec.service ? instancesOf(fleet.data, spec.service, spec.environment) : [],
    [fleet.data, spec.service, spec.environment],
  );
  const cohortIds = useMemo(
    () => (cohort.data && cohort.data.refused === null ? new Set(cohort.data.instanceIds) : null),
    [cohort.data],
  );
  return {
    instances,
    preview: previewBlastRadius(spec.blastRadius, instances, cohortIds),
    cohort: flagKey ? cohort.data : undefined,
    cohortError: flagKey ? cohort.error : null,
  };
}
