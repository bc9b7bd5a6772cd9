import { useSearchParams } from 'react-router';
import type { ExperimentFilter } from '@/backend/backend';
import { environmentSchema } from '@/domain/environments';
import { experimentStateSchema } from '@/domain/lifecycle';

/** The list's filter lives in the URL, so a filtered list can be shared and reloaded. */
export function useExperimentFilter(): [ExperimentFilter, (filter: ExperimentFilter) => void] {
  const [params, setParams] = useSearchParams();
  const environment = environmentSchema.safeParse(params.get('environment'));
  const state = experimentStateSchema.safeParse(params.get('state'));
  const filter: ExperimentFilter = {
    ...(environment.success ? { environment: environment.data } : {}),
    ...(state.success ? { state: state.data } : {}),
  };
  function setFilter(next: ExperimentFilter) {
    const search = new URLSearchParams();
    if (next.environment) search.set('environment', next.environment);
    if (next.state) search.set('state', next.state);
    setParams(search, { replace: true });
  }
  return [filter, setFilter];
}
