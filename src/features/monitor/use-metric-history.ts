import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '@/lib/backend-context';
import type { Experiment } from '@/domain/experiment';
import type { Group } from '@/domain/metrics';
import { metricHistoryQuery } from '@/lib/queries/experiments';

const BEFORE_RUN_MS = 60_000;
const BEFORE_DRAFT_MS = 10 * 60_000;

/**
 * Fills the live series with what happened before this page opened, so a monitor opened
 * mid-run shows the run from its start. Returns the first failure, if any.
 */
export function useMetricHistory(
  experiment: Pick<Experiment, 'id' | 'service' | 'environment' | 'run'>,
): unknown {
  const backend = useBackend();
  const [openedAt] = useState(() => Date.now());
  const { id, service, environment } = experiment;
  const startedAt = experiment.run?.startedAt ?? null;
  const since = startedAt === null ? openedAt - BEFORE_DRAFT_MS : startedAt - BEFORE_RUN_MS;
  const groups: { group: Group; experimentId?: string }[] =
    startedAt === null
      ? [{ group: 'all' }]
      : [
          { group: 'all' },
          { group: 'target', experimentId: id },
          { group: 'control', experimentId: id },
        ];

  const results = useQueries({
    queries: groups.map(({ group, experimentId }) =>
      metricHistoryQuery(backend, { service, environment, group, experimentId, since }),
    ),
    combine: (all) => all.find((r) => r.error)?.error ?? null,
  });
  return results;
}
