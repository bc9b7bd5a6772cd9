import type { AuditFilterInput } from '@/domain/audit-filter';
import type { Environment } from '@/domain/environments';
import type { FlagEvaluationsQuery } from '@/domain/flag-evaluations';
import type { ExperimentFilter } from './capabilities/experiments';
import type { MetricHistoryQuery } from './capabilities/fleet';

/**
 * Keys are arrays so a prefix names a family: invalidating ['experiments'] reaches the
 * lists and every experiment. The stream's `resource` events name these families too
 * (`resource: flags` invalidates ['flags']), so the first element is the resource's name.
 */
export const queryKeys = {
  auth: ['auth'] as const,
  me: ['me'] as const,
  fleet: ['fleet'] as const,
  experiments: ['experiments'] as const,
  experimentLists: ['experiments', 'list'] as const,
  experimentList: (filter: ExperimentFilter) => ['experiments', 'list', filter] as const,
  experiment: (id: string) => ['experiments', id] as const,
  metricHistory: (query: MetricHistoryQuery) => ['metrics', query] as const,
  flagEvaluations: (query: FlagEvaluationsQuery) => ['flag-evaluations', query] as const,
};

export const flagKeys = {
  flags: ['flags'] as const,
  list: ['flags', 'list'] as const,
  flag: (key: string) => ['flags', 'detail', key] as const,
  history: (key: string) => ['flags', 'history', key] as const,
  cohort: (key: string, service: string, environment: Environment) =>
    ['flags', 'cohort', key, service, environment] as const,
  segments: ['segments'] as const,
  ofrepKeys: ['ofrep-keys'] as const,
};

export const gamedayKeys = {
  all: ['gamedays'] as const,
  list: ['gamedays', 'list'] as const,
  gameday: (id: string) => ['gamedays', id] as const,
  timeline: (id: string) => ['gamedays', id, 'timeline'] as const,
};

export const statusKeys = {
  status: ['status'] as const,
  page: (shareToken: string | null) => ['status', 'page', shareToken] as const,
  settings: ['status', 'settings'] as const,
  incidents: ['incidents'] as const,
};

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilterInput) => ['audit', filter] as const,
};

/** The stream's `resource: rollouts` events invalidate the whole family. */
export const rolloutKeys = {
  all: ['rollouts'] as const,
  list: ['rollouts', 'list'] as const,
  rollout: (id: string) => ['rollouts', 'detail', id] as const,
};

/** Agents are not on the stream: their list is polled while it is shown. */
export const agentKeys = {
  all: ['agents'] as const,
  agents: ['agents', 'list'] as const,
  tokens: ['agents', 'tokens'] as const,
};

/** The stream's `resource: webhooks` events (an edit, a delivery attempt) invalidate the family. */
export const webhookKeys = {
  all: ['webhooks'] as const,
  list: ['webhooks', 'list'] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
};
