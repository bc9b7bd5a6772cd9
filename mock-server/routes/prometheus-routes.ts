import type { FastifyInstance } from 'fastify';
import { METRICS, type Metric, type MetricSample } from '../../src/domain';
import type { ServerContext } from '../context';

/** Prometheus names for the sample values, with their units in the name as Prometheus asks. */
const EXPOSED: Record<Metric, { name: string; help: string }> = {
  cpu: { name: 'faultline_cpu_percent', help: 'CPU use, averaged over the group, in %.' },
  memory: { name: 'faultline_memory_percent', help: 'Memory use, averaged over the group, in %.' },
  error_rate: { name: 'faultline_error_rate_percent', help: 'Requests that failed (5xx or no answer), in %.' },
  http_4xx_rate: { name: 'faultline_http_4xx_rate_percent', help: 'Requests answered 4xx, in %.' },
  http_5xx_rate: { name: 'faultline_http_5xx_rate_percent', help: 'Requests answered 5xx, in %.' },
  latency_p99: { name: 'faultline_latency_p99_ms', help: '99th percentile request latency, in ms.' },
  request_rate: { name: 'faultline_request_rate_per_second', help: 'Requests per second.' },
};

const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function labelsOf(sample: MetricSample): string {
  const labels: [string, string][] = [
    ['service', sample.service],
    ['environment', sample.environment],
    ['group', sample.group],
  ];
  if (sample.experimentId) labels.push(['experiment_id', sample.experimentId]);
  if (sample.cohort) labels.push(['cohort', sample.cohort]);
  return labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

/** The latest tick in the Prometheus text exposition format (version 0.0.4). */
export function exposition(samples: readonly MetricSample[], runningCount: number): string {
  const lines: string[] = [];
  for (const metric of METRICS) {
    const { name, help } = EXPOSED[metric];
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const sample of samples) lines.push(`${name}{${labelsOf(sample)}} ${sample.values[metric]}`);
  }
  lines.push(
    '# HELP faultline_experiments_running Experiments running now.',
    '# TYPE faultline_experiments_running gauge',
    `faultline_experiments_running ${runningCount}`,
  );
  return `${lines.join('\n')}\n`;
}

export async function prometheusRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/metrics', async (_request, reply) =>
    reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(exposition(ctx.simulation.latest(), ctx.engine.running().length)),
  );
}
