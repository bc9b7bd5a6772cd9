import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { agentKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

/** How often the agents list is read again while shown, in ms: heartbeats are not streamed. */
const AGENTS_REFRESH_MS = 5_000;

export const agentListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: agentKeys.agents,
    queryFn: ({ signal }) => capability(backend, 'agents').listAgents({ signal }),
    refetchInterval: AGENTS_REFRESH_MS,
  });

export const agentTokenListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: agentKeys.tokens,
    queryFn: ({ signal }) => capability(backend, 'agents').listAgentTokens({ signal }),
    staleTime: 30_000,
  });
