import { z } from 'zod';
import { environmentSchema } from './environments';

export const METRICS = [
  'cpu',
  'memory',
  'error_rate',
  'http_4xx_rate',
  'http_5xx_rate',
  'latency_p99',
  'request_rate',
] as const;
export const metricSchema = z.enum(METRICS);
export type Metric = z.infer<typeof metricSchema>;

interface MetricInfo {
  label: string;
  /** The name inside a sentence: "the 5xx rate", "the error rate". */
  noun: string;
  unit: '%' | 'ms' | 'req/s';
}

export const METRIC_INFO: Record<Metric, MetricInfo> = {
  cpu: { label: 'CPU', noun: 'CPU', unit: '%' },
  memory: { label: 'Memory', noun: 'memory', unit: '%' },
  error_rate: { label: 'Error rate', noun: 'error rate', unit: '%' },
  http_4xx_rate: { label: '4xx rate', noun: '4xx rate', unit: '%' },
  http_5xx_rate: { label: '5xx rate', noun: '5xx rate', unit: '%' },
  latency_p99: { label: 'p99 latency', noun: 'p99 latency', unit: 'ms' },
  request_rate: { label: 'Request rate', noun: 'request rate', unit: 'req/s' },
};

/**
 * How each metric is exposed to Prometheus (at /metrics) and queried back from it. Names
 * carry the unit; latency is in seconds, Prometheus's base unit, so `scale` turns our value
 * (ms) into the exposed one.
 */
export const PROMETHEUS_EXPOSITION: Record<Metric, { name: string; help: string; scale: number }> =
  {
    cpu: {
      name: 'faultline_cpu_percent',
      help: 'CPU use, averaged over the group, in %.',
      scale: 1,
    },
    memory: {
      name: 'faultline_memory_percent',
      help: 'Memory use, averaged over the group, in %.',
      scale: 1,
    },
    error_rate: {
      name: 'faultline_error_rate_percent',
      help: 'Requests that failed (5xx or no answer), in %.',
      scale: 1,
    },
    http_4xx_rate: {
      name: 'faultline_http_4xx_rate_percent',
      help: 'Requests answered 4xx, in %.',
      scale: 1,
    },
    http_5xx_rate: {
      name: 'faultline_http_5xx_rate_percent',
      help: 'Requests answered 5xx, in %.',
      scale: 1,
    },
    latency_p99: {
      name: 'faultline_latency_p99_seconds',
      help: '99th percentile request latency, in seconds.',
      scale: 0.001,
    },
    request_rate: {
      name: 'faultline_request_rate_per_second',
      help: 'Requests per second.',
      scale: 1,
    },
  };

/**
 * The request counters and the latency histogram at /metrics, in Prometheus's conventional
 * form, so `rate()`, `sum by` and `histogram_quantile()` work on them: requests by answer class
 * (`2xx`, `4xx`, `5xx`, and `none` for connections lost without an answer) and request latency
 * in seconds. They carry the same labels as the gauges above.
 */
export const PROMETHEUS_COUNTERS = {
  requests: {
    name: 'faultline_http_requests_total',
    help: 'Requests served, by answer class (2xx, 4xx, 5xx, none: lost without an answer).',
  },
  latency: {
    name: 'faultline_http_request_duration_seconds',
    help: 'Request latency, in seconds.',
  },
} as const;

/** Answer classes of `faultline_http_requests_total`, in the `code` label. */
export const ANSWER_CLASSES = ['2xx', '4xx', '5xx', 'none'] as const;
export type AnswerClass = (typeof ANSWER_CLASSES)[number];

/** Upper bounds of the latency histogram's buckets, in seconds (+Inf is added). */
export const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/**
 * Which instances a sample describes: the experiment's blast radius (target), the rest of
 * the service in that environment (control), or the whole service (all).
 */
const GROUPS = ['target', 'control', 'all'] as const;
export const groupSchema = z.enum(GROUPS);
export type Group = z.infer<typeof groupSchema>;

const metricValuesSchema = z.object({
  cpu: z.number(),
  memory: z.number(),
  error_rate: z.number(),
  http_4xx_rate: z.number(),
  http_5xx_rate: z.number(),
  latency_p99: z.number(),
  request_rate: z.number(),
});
export type MetricValues = z.infer<typeof metricValuesSchema>;

/** One tick's measurement of one group of one service in one environment. `t` is epoch ms. */
export const metricSampleSchema = z.object({
  t: z.number(),
  service: z.string(),
  environment: environmentSchema,
  group: groupSchema,
  /** Set when the group is split by an experiment: which experiment's target/control. */
  experimentId: z.string().optional(),
  /** Set when the group is split by a flag's cohort: `on` or `off`. */
  cohort: z.enum(['on', 'off']).optional(),
  /** Set when the group is split by a canary rollout: which version served it. */
  version: z.enum(['stable', 'canary']).optional(),
  values: metricValuesSchema,
});
export type MetricSample = z.infer<typeof metricSampleSchema>;

/** A series the metrics source could not read (down, too slow, no series, NaN), and why in words. */
export const metricsGapSchema = z.object({
  service: z.string(),
  environment: environmentSchema,
  group: groupSchema,
  experimentId: z.string().optional(),
  metrics: z.array(metricSchema),
  reason: z.string().max(500),
});
export type MetricsGapInfo = z.infer<typeof metricsGapSchema>;

/** A series is one metric of one group: the key that history and charts use. */
export function seriesKey(
  sample: Pick<MetricSample, 'service' | 'environment' | 'group' | 'experimentId' | 'cohort'> & {
    version?: MetricSample['version'];
  },
): string {
  const key = [
    sample.service,
    sample.environment,
    sample.group,
    sample.experimentId ?? '',
    sample.cohort ?? '',
  ].join('|');
  // The version is appended only when set, so every other series keeps its key.
  return sample.version ? `${key}|${sample.version}` : key;
}
