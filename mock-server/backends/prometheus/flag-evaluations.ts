import {
  FLAG_EVALUATION_POINTS_MAX,
  FLAG_EVALUATION_SERIES_MAX,
  type Environment,
  type FlagEvaluations,
  type FlagEvaluationsQuery,
} from '../../../src/domain';
import type { PrometheusMetricsConfig } from '../backends-config';
import { MetricsUnavailableError } from '../seams';
import type { PrometheusClient } from './prometheus-client';

/**
 * The counter an OpenFeature hook exports (examples/shop/flags.ts): one series per flag, variant
 * and reason, labelled with the service and environment like every other series.
 */
const COUNTER = 'feature_flag_evaluations_total';
/** The longest history asked, in ms (an hour, as for the metric charts). */
const HISTORY_MAX_MS = 60 * 60_000;

const quoted = (value: string) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** The PromQL of evaluations per second by flag, variant and reason. */
function flagEvaluationsQuery(
  environment: Environment,
  service: string | undefined,
  range: string,
): string {
  const where = [`environment=${quoted(environment)}`];
  if (service !== undefined) where.push(`service=${quoted(service)}`);
  return `sum by (flag, variant, reason) (rate(${COUNTER}{${where.join(',')}}[${range}]))`;
}

interface PrometheusFlagEvaluationsOptions {
  environment: Environment;
  config: PrometheusMetricsConfig;
  /** The source's client: its range timeout bounds a chart's history. */
  client: PrometheusClient;
  /** Wall-clock epoch ms, for a history asked without an end. */
  now?: () => number;
}

/**
 * One environment's flag evaluations read from Prometheus: a range query of the hook's counter,
 * summed by flag, variant and reason. No series is an answer ("nothing evaluated a flag here"),
 * not a failure; Prometheus not answering is one (MetricsUnavailableError).
 */
export function prometheusFlagEvaluations(options: PrometheusFlagEvaluationsOptions) {
  const { environment, config, client } = options;

  return async function flagEvaluations(window: FlagEvaluationsQuery): Promise<FlagEvaluations> {
    const until = window.until ?? (options.now ?? Date.now)();
    const since = Math.max(window.since ?? until - 15 * 60_000, until - HISTORY_MAX_MS);
    const stepMs = Math.max(
      config.evaluationIntervalMs,
      Math.ceil((until - since) / FLAG_EVALUATION_POINTS_MAX),
    );
    const query = flagEvaluationsQuery(environment, window.service, config.range);
    const answer = await client.matrix(query, since, until, stepMs);
    if ('missing' in answer) throw new MetricsUnavailableError(answer.missing);
    const series = answer.series.slice(0, FLAG_EVALUATION_SERIES_MAX).map(({ labels, points }) => ({
      flag: labels.flag ?? '',
      variant: labels.variant ?? '',
      reason: labels.reason ?? '',
      points: points
        .slice(-FLAG_EVALUATION_POINTS_MAX)
        .map(({ t, value }) => ({ t, perSecond: value })),
    }));
    return { series };
  };
}
