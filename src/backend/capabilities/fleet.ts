import type { Environment } from '@/domain/environments';
import type { FlagEvaluations, FlagEvaluationsQuery } from '@/domain/flag-evaluations';
import type { Fleet } from '@/domain/fleet';
import type { Group, MetricSample } from '@/domain/metrics';
import type { RequestOptions } from './request';

export interface MetricHistoryQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  /** One side of a flag's split: the instances serving its on or its off cohort. */
  cohort?: 'on' | 'off';
  /** One side of a canary rollout: the instances serving the stable or the canary version. */
  version?: 'stable' | 'canary';
  /** epoch ms */
  since?: number;
}

/** The services, environments and instances, and the history of their metrics. */
export interface FleetCapability {
  fleet(): Promise<Fleet>;
  metricHistory(query: MetricHistoryQuery, options?: RequestOptions): Promise<MetricSample[]>;
  /** Flag evaluations per second by flag, variant and reason, of a service or an environment. */
  flagEvaluations(query: FlagEvaluationsQuery, options?: RequestOptions): Promise<FlagEvaluations>;
}
