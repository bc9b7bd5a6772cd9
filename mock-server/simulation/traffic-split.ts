import { spreadOverZones, type Instance } from '../../src/domain';

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
 * Defects hidden behind flags in the sample fleet. The new checkout path (flag new-checkout)
 * starts failing at 85 % CPU, where the old path still answers nearly everything (it sheds
 * requests from 90 %): calm, nobody notices; under CPU pressure, only its cohort gets 5xx.
 */
export const SAMPLE_CODE_PATH_DEFECTS: CodePathDefect[] = [
  {
    flagKey: 'new-checkout',
    service: 'checkout',
    failsAboveCpuPercent: 85,
    fivexxPerCpuPercent: 1,
    description: 'The one-page payment step times out under CPU pressure.',
  },
];

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
