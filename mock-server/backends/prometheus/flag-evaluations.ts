import { z } from 'zod';
import {
  FLAG_EVALUATION_POINTS_MAX,
  FLAG_EVALUATION_SERIES_MAX,
  type Environment,
  type FlagEvaluations,
  type FlagEvaluationsQuery,
} from '../../../src/domain';
import type { PrometheusMetricsConfig } from '../backends-config';
import { MetricsUnavailableError } from '../seams';

/**
 * The counter an OpenFeature hook exports (examples/shop/flags.ts): one series per flag, variant
 * and reason, labelled with the service and environment like every other series.
 */
const COUNTER = 'feature_flag_evaluations_total';
/** The longest history asked, in ms (an hour, as for the metric charts). */
const HISTORY_MAX_MS = 60 * 60_000;
/** A chart's history may take this long (or the configured query timeout, if longer), in ms. */
const TIMEOUT_MS = 5_000;

const matrixAnswer = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.object({
      resultType: z.string(),
      result: z.array(
        z.object({
          metric: z.record(z.string(), z.string()),
          values: z.array(z.tuple([z.number(), z.string()])).optional(),
        }),
      ),
    }),
  }),
  z.object({ status: z.literal('error'), errorType: z.string(), error: z.string() }),
]);

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
  /** Wall-clock epoch ms, for a history asked without an end. */
  now?: () => number;
  fetch?: typeof fetch;
}

/**
 * One environment's flag evaluations read from Prometheus: a range query of the hook's counter,
 * summed by flag, variant and reason. No series is an answer ("nothing evaluated a flag here"),
 * not a failure; Prometheus not answering is one (MetricsUnavailableError).
 */
export function prometheusFlagEvaluations(options: PrometheusFlagEvaluationsOptions) {
  const { environment, config } = options;
  const doFetch = options.fetch ?? fetch;
  const base = config.url.replace(/\/+$/, '');
  const timeoutMs = Math.max(config.queryTimeoutMs, TIMEOUT_MS);

  return async function flagEvaluations(window: FlagEvaluationsQuery): Promise<FlagEvaluations> {
    const until = window.until ?? (options.now ?? Date.now)();
    const since = Math.max(window.since ?? until - 15 * 60_000, until - HISTORY_MAX_MS);
    const stepMs = Math.max(
      config.evaluationIntervalMs,
      Math.ceil((until - since) / FLAG_EVALUATION_POINTS_MAX),
    );
    const params = new URLSearchParams({
      query: flagEvaluationsQuery(environment, window.service, config.range),
      start: String(since / 1000),
      end: String(until / 1000),
      step: String(Math.max(0.1, stepMs / 1000)),
    });
    let body: unknown;
    try {
      const response = await doFetch(`${base}/api/v1/query_range?${params.toString()}`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = await response.json();
    } catch (error) {
      const name = (error as Error).name;
      throw new MetricsUnavailableError(
        name === 'TimeoutError' || name === 'AbortError'
          ? `Prometheus did not answer within ${timeoutMs} ms`
          : `Prometheus at ${base} cannot be reached (${(error as Error).message})`,
      );
    }
    const parsed = matrixAnswer.safeParse(body);
    if (!parsed.success)
      throw new MetricsUnavailableError('Prometheus answered in an unexpected shape');
    if (parsed.data.status === 'error')
      throw new MetricsUnavailableError(
        `Prometheus refused the query (${parsed.data.errorType}: ${parsed.data.error})`,
      );
    const series = parsed.data.data.result
      .slice(0, FLAG_EVALUATION_SERIES_MAX)
      .map(({ metric, values = [] }) => ({
        flag: metric.flag ?? '',
        variant: metric.variant ?? '',
        reason: metric.reason ?? '',
        points: values
          .slice(-FLAG_EVALUATION_POINTS_MAX)
          .map(([t, v]) => ({ t: Math.round(t * 1000), perSecond: Number(v) }))
          .filter((p) => Number.isFinite(p.perSecond)),
      }));
    return { series };
  };
}
