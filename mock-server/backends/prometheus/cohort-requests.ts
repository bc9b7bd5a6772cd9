import type { Environment } from '../../../src/domain';
import type { PrometheusMetricsConfig } from '../backends-config';
import type { CohortRequestCounter } from '../seams';
import type { PrometheusClient } from './prometheus-client';
import { DEFAULT_TEMPLATES, instanceMatcher, renderTemplate } from './promql';

/**
 * The label matchers of a flag's two cohorts: a service labels its requests `flag_<key>` (the key
 * with `_` for anything but letters, digits and `_`) with the variant served; the off variant and
 * `fallback` are flag off, any other variant flag on, no label neither.
 */
function cohortLabelMatchers(flagKey: string, offVariant: string): Record<'on' | 'off', string> {
  const label = `flag_${flagKey.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const off = `${offVariant.replace(/[^A-Za-z0-9_.-]/g, '')}|fallback`;
  return { on: `${label}=~".+",${label}!~"${off}"`, off: `${label}=~"${off}"` };
}

/**
 * Counts each cohort's requests over a window as the environment's request_rate template reads
 * them, its `{{range}}` stretched over the whole window, times the window's length: Prometheus's
 * `increase`. A cohort with no series served no requests (0); a query that fails is a gap.
 */
export function prometheusCohortRequests(options: {
  environment: Environment;
  config: PrometheusMetricsConfig;
  client: PrometheusClient;
}): CohortRequestCounter {
  const { environment, config, client } = options;
  const template = config.queries.request_rate ?? DEFAULT_TEMPLATES.request_rate;
  return async ({ service, flagKey, offVariant, since, until }) => {
    const seconds = Math.max(1, Math.ceil((until - since) / 1000));
    const matchers = cohortLabelMatchers(flagKey, offVariant);
    const count = (matcher: string) =>
      client.instant(
        `(${renderTemplate(template, {
          service,
          environment,
          instances: `${instanceMatcher(config.instanceLabel, { kind: 'any' })},${matcher}`,
          range: `${seconds}s`,
          memory_limit_bytes: String(config.memoryLimitBytes),
        })} or vector(0)) * ${seconds}`,
        until,
      );
    const [on, off] = await Promise.all([count(matchers.on), count(matchers.off)]);
    if ('missing' in on) return { gap: `flag on requests: ${on.missing}` };
    if ('missing' in off) return { gap: `flag off requests: ${off.missing}` };
    return { on: on.value, off: off.value };
  };
}
