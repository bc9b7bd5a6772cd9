import type { MetricValues } from '@/domain/metrics';

export type Health = 'healthy' | 'degraded' | 'outage';

/**
 * A service's health from its latest whole-service sample. Outage: most requests fail;
 * degraded: users notice (errors above 1–5 %, p99 past a second, CPU near saturation).
 */
export function serviceHealth(values: MetricValues): Health {
  if (values.http_5xx_rate >= 5 || values.error_rate >= 20) return 'outage';
  if (values.http_5xx_rate >= 1 || values.error_rate >= 5 || values.latency_p99 >= 1000 || values.cpu >= 90) {
    return 'degraded';
  }
  return 'healthy';
}
