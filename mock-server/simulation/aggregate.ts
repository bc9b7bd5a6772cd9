import type { MetricValues } from '../../src/domain';
import type { ContainerReading } from './physics';

const round = (value: number, digits = 2) => {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
};

/**
 * One group's metrics from its containers' readings: CPU and memory averaged over the containers
 * that are up, rates weighted by requests, and p99 latency as the slowest latency that still
 * covers 1 % of the group's requests (a slow container carrying 5 % of the traffic sets the p99).
 */
export function aggregate(readings: readonly ContainerReading[]): MetricValues {
  const up = readings.filter((r) => r.up);
  const requests = readings.reduce((sum, r) => sum + r.requests, 0);
  const mean = (pick: (r: ContainerReading) => number) =>
    up.length ? up.reduce((s, r) => s + pick(r), 0) / up.length : 0;
  const weighted = (pick: (r: ContainerReading) => number) =>
    requests > 0 ? readings.reduce((s, r) => s + pick(r) * r.requests, 0) / requests : 0;

  let latencyP99 = 0;
  if (requests > 0) {
    let covered = 0;
    for (const reading of [...readings]
      .filter((r) => r.requests > 0)
      .sort((a, b) => b.latencyP99 - a.latencyP99)) {
      covered += reading.requests / requests;
      latencyP99 = reading.latencyP99;
      if (covered >= 0.01) break;
    }
  }

  return {
    cpu: round(mean((r) => r.cpu)),
    memory: round(mean((r) => r.memory)),
    error_rate: round(
      weighted((r) => r.errorRate),
      3,
    ),
    http_4xx_rate: round(
      weighted((r) => r.rate4xx),
      3,
    ),
    http_5xx_rate: round(
      weighted((r) => r.rate5xx),
      3,
    ),
    latency_p99: round(latencyP99, 1),
    request_rate: round(requests, 1),
  };
}
