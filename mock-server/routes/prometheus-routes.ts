import type { FastifyInstance } from 'fastify';
import {
  ANSWER_CLASSES,
  LATENCY_BUCKETS_SECONDS,
  METRICS,
  PROMETHEUS_COUNTERS,
  PROMETHEUS_EXPOSITION,
  type MetricSample,
} from '../../src/domain';
import type { ServerContext } from '../context';
import type { RequestTotals } from '../backends/seams';

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelsOf(
  sample: Pick<
    MetricSample,
    'service' | 'environment' | 'group' | 'experimentId' | 'cohort' | 'version'
  >,
  extra: [string, string][] = [],
): string {
  const labels: [string, string][] = [
    ['service', sample.service],
    ['environment', sample.environment],
    ['group', sample.group],
  ];
  if (sample.experimentId) labels.push(['experiment_id', sample.experimentId]);
  if (sample.cohort) labels.push(['cohort', sample.cohort]);
  if (sample.version) labels.push(['version', sample.version]);
  return [...labels, ...extra].map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

/** Counter values as Prometheus reads them: three decimals are plenty for fractional requests. */
const count = (value: number) => String(Math.round(value * 1000) / 1000);

function counterLines(totals: readonly RequestTotals[]): string[] {
  const requests = PROMETHEUS_COUNTERS.requests;
  const latency = PROMETHEUS_COUNTERS.latency;
  const lines = [`# HELP ${requests.name} ${requests.help}`, `# TYPE ${requests.name} counter`];
  for (const series of totals)
    for (const answer of ANSWER_CLASSES)
      lines.push(
        `${requests.name}{${labelsOf(series.sample, [['code', answer]])}} ${count(series.byClass[answer])}`,
      );
  lines.push(`# HELP ${latency.name} ${latency.help}`, `# TYPE ${latency.name} histogram`);
  for (const series of totals) {
    LATENCY_BUCKETS_SECONDS.forEach((bound, i) =>
      lines.push(
        `${latency.name}_bucket{${labelsOf(series.sample, [['le', String(bound)]])}} ${count(series.atOrUnder[i] ?? 0)}`,
      ),
    );
    lines.push(
      `${latency.name}_bucket{${labelsOf(series.sample, [['le', '+Inf']])}} ${count(series.count)}`,
      `${latency.name}_sum{${labelsOf(series.sample)}} ${count(series.latencySeconds)}`,
      `${latency.name}_count{${labelsOf(series.sample)}} ${count(series.count)}`,
    );
  }
  return lines;
}

/**
 * The latest tick in the Prometheus text exposition format (version 0.0.4): each metric as a
 * gauge of the latest value, and the requests as counters and a latency histogram that
 * `rate()` and `histogram_quantile()` can aggregate.
 */
function exposition(
  samples: readonly MetricSample[],
  runningCount: number,
  totals: readonly RequestTotals[] = [],
  extraLines: readonly string[] = [],
): string {
  const lines: string[] = [];
  for (const metric of METRICS) {
    const { name, help, scale } = PROMETHEUS_EXPOSITION[metric];
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const sample of samples)
      lines.push(`${name}{${labelsOf(sample)}} ${sample.values[metric] * scale}`);
  }
  if (totals.length) lines.push(...counterLines(totals));
  lines.push(
    '# HELP faultline_experiments_running Experiments running now.',
    '# TYPE faultline_experiments_running gauge',
    `faultline_experiments_running ${runningCount}`,
    ...extraLines,
  );
  return `${lines.join('\n')}\n`;
}

/** A load balancer's instruction, in Flagger's manner (`flagger_canary_weight`), but as a share. */
const CANARY_WEIGHT = 'faultline_canary_weight';

/**
 * `faultline_canary_weight{service,environment}`: the share of the service's requests (0–1) its
 * canary should receive now. One series per service and environment while a canary rollout
 * sends the canary traffic; none otherwise (no rollout, rolled back, aborted, or promoted: the
 * canary's build is then the new stable). A reader sends the canary nothing while it is absent.
 */
export function canaryWeightLines(
  weights: readonly { service: string; environment: string; weight: number }[],
): string[] {
  return [
    `# HELP ${CANARY_WEIGHT} Share of the service's requests (0-1) its canary should receive now.`,
    `# TYPE ${CANARY_WEIGHT} gauge`,
    ...weights.map(
      (w) =>
        `${CANARY_WEIGHT}{service="${escapeLabel(w.service)}",environment="${escapeLabel(w.environment)}"} ${w.weight}`,
    ),
  ];
}

/**
 * `moreLines`: series other modules export (the agents' stress CPU, the canaries' weights), in
 * exposition format.
 */
export async function prometheusRoutes(
  app: FastifyInstance,
  ctx: ServerContext,
  moreLines: () => readonly string[] = () => [],
): Promise<void> {
  app.get('/metrics', async (_request, reply) =>
    reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(
        exposition(
          ctx.engine.latestSamples(),
          ctx.engine.running().length,
          ctx.backend.requestTotals?.() ?? [],
          moreLines(),
        ),
      ),
  );
}
