import type { Environment } from '@/domain/environments';
import type { Fleet } from '@/domain/fleet';
import type { Group, MetricSample } from '@/domain/metrics';
import type { RequestOptions } from './request';

export interface MetricHistoryQuery {
  service: string;
  environment: Environment;
  group: Group;
  experimentId?: string;
  /** epoch ms */
  since?: number;
}

/** The services, environments and instances, and the history of their metrics. */
export interface FleetCapability {
  fleet(): Promise<Fleet>;
  metricHistory(query: MetricHistoryQuery, options?: RequestOptions): Promise<MetricSample[]>;
}
