import type { Environment } from '../../src/domain';

/**
 * The seam for progressive delivery: when a flag sends its on-cohort to a reserved set of hosts,
 * the simulation routes that share of a service's traffic there, and tags the `all` samples of
 * each side with `cohort: 'on' | 'off'`.
 */
export interface CohortSplit {
  flagKey: string;
  /** Share of the service's requests coming from on-cohort users, 0–1. */
  onShare: number;
  /** Hosts reserved for the on-cohort: their containers serve it, and only it. */
  hostIds: ReadonlySet<string>;
}

/** Answers, for one service in one environment, how its traffic is split (null: not split). */
export type TrafficSplitter = (service: string, environment: Environment) => CohortSplit | null;
