import type { FastifyInstance } from 'fastify';
import { METRICS, PROMETHEUS_EXPOSITION, type MetricSample } from '../../src/domain';
import type { ServerContext } from '../context';

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

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
    const { name, help, scale } = PROMETHEUS_EXPOSITION[metric];
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const sample of samples)
      lines.push(`${name}{${labelsOf(sample)}} ${sample.values[metric] * scale}`);
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
