import { useQueries } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { metricHistoryQuery } from '@/lib/queries/experiments';
import type { RolloutSpec } from '@/domain/rollouts';
import { sideFilters } from './rollout-series';

const BEFORE_START_MS = 60_000;

/**
 * Fills both sides' live series with what happened since the rollout began, so a page opened
 * mid-rollout (or after it ended) draws the whole of it. Returns the first failure, if any.
 */
export function useRolloutHistory(spec: RolloutSpec, createdAt: number): unknown {
  const backend = useBackend();
  const { service, environment } = spec;
  const sides = sideFilters(spec);
  const since = createdAt - BEFORE_START_MS;
  const results = useQueries({
    queries: [sides.target, sides.control].map((side) =>
      metricHistoryQuery(backend, { service, environment, group: 'all', since, ...side }),
    ),
    combine: (all) => all.find((r) => r.error)?.error ?? null,
  });
  return results;
}
