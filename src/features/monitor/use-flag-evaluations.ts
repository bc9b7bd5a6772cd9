import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '@/backend/query-keys';
import type { Experiment } from '@/domain/experiment';
import type { FlagEvaluationsQuery } from '@/domain/flag-evaluations';
import { FLAG_SERVICE } from '@/domain/target-kinds';
import { useBackend } from '@/lib/backend-context';

/** How far before the run (or the page opening, for a draft) the chart starts, in ms. */
const BEFORE_MS = 5 * 60_000;
/** How far past a finished run's end the chart goes, in ms: the minute it recovered in. */
const AFTER_MS = 60_000;
/** How often a running experiment's chart asks again, in ms. */
const REFRESH_MS = 5_000;

/**
 * The flag evaluations around an experiment: of its service, or, when it strikes the flag
 * service itself, of every service in its environment (they are the flag service's clients).
 */
export function useFlagEvaluations(
  experiment: Pick<Experiment, 'service' | 'environment' | 'run' | 'state'>,
) {
  const backend = useBackend();
  const [openedAt] = useState(() => Date.now());
  const { service, environment } = experiment;
  const since = (experiment.run?.startedAt ?? openedAt) - BEFORE_MS;
  // A past run's chart shows the run, not the time since.
  const endedAt = experiment.run?.endedAt ?? null;
  const query: FlagEvaluationsQuery = {
    environment,
    ...(service === FLAG_SERVICE ? {} : { service }),
    since,
    ...(endedAt === null ? {} : { until: endedAt + AFTER_MS }),
  };
  return useQuery({
    queryKey: queryKeys.flagEvaluations(query),
    queryFn: ({ signal }) => backend.fleet.flagEvaluations(query, { signal }),
    // A source that counts no evaluations (the simulation) will not start to: asked once.
    refetchInterval: (read) =>
      experiment.state === 'running' && !read.state.data?.unavailable ? REFRESH_MS : false,
  });
}
