import { spreadOverZones, type Environment, type Instance } from '../../src/domain';

/**
 * A defect of a flag's new code path, hidden until CPU pressure finds it: above
 * `failsAboveCpuPercent` a container serving the new path answers 5xx to
 * `fivexxPerCpuPercent` more of its requests for every CPU point further up. The old path
 * only sheds requests near saturation (see `saturation5xx`), so the new path's 5xx rises sooner.
 */
export interface CodePathDefect {
  flagKey: string;
  service: string;
  /** CPU above which the new path starts failing, % */
  failsAboveCpuPercent: number;
  /** Requests answered 5xx per CPU point above the threshold, percentage points */
  fivexxPerCpuPercent: number;
  /** What goes wrong, in words. */
  description: string;
}

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
  /** A defect of the new code path, in force on the reserved hosts only. */
  defect?: CodePathDefect;
}

/** Answers, for one service in one environment, how its traffic is split (null: not split). */
export type TrafficSplitter = (service: string, environment: Environment) => CohortSplit | null;

/**
 * The hosts that serve a flag's on-cohort: as many as its share of the traffic asks for (at
 * least one, and one fewer than all while anyone is left on the old path), stable versions
 * before the canary, spread over the zones. Deterministic, so the designer's preview, the
 * start and the simulation agree.
 */
export function reserveHosts(serviceInstances: readonly Instance[], onShare: number): Set<string> {
  const hosts = serviceInstances.filter((i) => i.kind === 'host');
  const ordered = [
    ...spreadOverZones(hosts.filter((h) => h.labels.version !== 'canary')),
    ...spreadOverZones(hosts.filter((h) => h.labels.version === 'canary')),
  ];
  if (onShare <= 0) return new Set();
  if (onShare >= 1 || ordered.length <= 1) return new Set(ordered.map((h) => h.id));
  const count = Math.min(ordered.length - 1, Math.max(1, Math.round(onShare * ordered.length)));
  return new Set(ordered.slice(0, count).map((h) => h.id));
}

/**
 * A canary rollout's routing: `weight` of the service's requests go to the canary hosts, which
 * run the new version (with its defect, if it carries one); samples of each side are tagged
 * `version: 'canary' | 'stable'`.
 */
export interface CanaryRoute {
  /** Share of requests served by the canary, 0–1. */
  weight: number;
  hostIds: ReadonlySet<string>;
  defect?: { fivexxPercent: number; addedLatencyMs: number };
}

/** Answers, for one service in one environment, how a canary rollout routes it (null: none). */
export type CanaryRouter = (service: string, environment: Environment) => CanaryRoute | null;
