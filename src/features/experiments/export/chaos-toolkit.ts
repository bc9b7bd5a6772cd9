import {
  METRIC_INFO,
  PROMETHEUS_EXPOSITION,
  describeCondition,
  totalDurationSeconds,
  type AbortCondition,
  type ExperimentSpec,
  type Metric,
} from '@/domain';
import { CHAOS_MESH_API_VERSION, chaosMeshExport } from './chaos-mesh';

/** The largest value a metric can take, for the open end of a tolerance range. */
const CEILING: Record<MetricUnit, number> = { '%': 100, ms: 3_600_000, 'req/s': 1_000_000_000 };
type MetricUnit = (typeof METRIC_INFO)[Metric]['unit'];

type Json = Record<string, unknown>;

/** PromQL for what a condition judges, over its window: the least or most extreme sample, or the rise. */
export function promQuery(condition: AbortCondition, service: string, environment: string): string {
  const group = condition.scope === 'service' ? 'all' : 'target';
  const series = `${PROMETHEUS_EXPOSITION[condition.metric].name}{service="${service}",environment="${environment}",group="${group}"}`;
  const window = `${condition.windowSeconds}s`;
  if (condition.kind === 'rising') return `delta(${series}[${window}])`;
  if (condition.windowSeconds === 0) return series;
  // "> t for W" holds when every sample in W is above t, i.e. when the smallest one is.
  const over =
    condition.comparator === '>' || condition.comparator === '>='
      ? 'min_over_time'
      : 'max_over_time';
  return `${over}(${series}[${window}])`;
}

/**
 * The steady state: the range the queried value stays in while the condition does not hold.
 * Chaos Toolkit ranges are closed, so a strict comparator's boundary value counts as steady.
 */
export function toleranceRange(condition: AbortCondition): [number, number] {
  // In the unit Prometheus holds the series in (latency: seconds, not ms).
  const { scale } = PROMETHEUS_EXPOSITION[condition.metric];
  const ceiling = CEILING[METRIC_INFO[condition.metric].unit] * scale;
  if (condition.kind === 'rising') return [-ceiling, condition.delta * scale];
  if (condition.comparator === '>' || condition.comparator === '>=')
    return [0, condition.threshold * scale];
  return [condition.threshold * scale, ceiling];
}

function probeName(condition: AbortCondition): string {
  return `abort condition does not hold: ${describeCondition(condition)}`;
}

function probeOf(condition: AbortCondition, spec: ExperimentSpec): Json {
  const query = promQuery(condition, spec.service, spec.environment);
  const script = [
    'curl -sfG "${prometheus_base_url}/api/v1/query"',
    `--data-urlencode 'query=${query}'`,
    "| jq -r '.data.result[0].value[1]'",
  ].join(' ');
  return {
    type: 'probe',
    name: probeName(condition),
    tolerance: { type: 'range', range: toleranceRange(condition), target: 'stdout' },
    provider: { type: 'process', path: 'sh', arguments: ['-c', script], timeout: 30 },
  };
}

/**
 * The experiment as a Chaos Toolkit experiment: the hypothesis as its description, one
 * steady-state probe per abort condition (a Prometheus query with a tolerance range), the
 * method creates the Chaos Mesh resource of the attack and waits out the ramp, and the
 * rollback deletes it.
 */
export function chaosToolkitExperiment(spec: ExperimentSpec): Json {
  const chaos = chaosMeshExport(spec);
  const [group = 'chaos-mesh.org', version = 'v1alpha1'] = CHAOS_MESH_API_VERSION.split('/');
  const target = { group, version, plural: chaos.plural, ns: chaos.namespace };
  return {
    version: '1.0.0',
    title: spec.name,
    description: spec.hypothesis,
    tags: ['faultline', spec.service, spec.environment, spec.attack.type],
    configuration: {
      prometheus_base_url: { type: 'env', key: 'PROMETHEUS_URL', default: 'http://localhost:9090' },
    },
    'steady-state-hypothesis': {
      title: `${spec.service} in ${spec.environment} stays inside its abort conditions`,
      probes: spec.abortConditions.map((condition) => probeOf(condition, spec)),
    },
    method: [
      {
        type: 'action',
        name: `create-${chaos.plural}-${chaos.name}`.slice(0, 120),
        provider: {
          type: 'python',
          module: 'chaosk8s.crd.actions',
          func: 'create_custom_object',
          arguments: { ...target, resource: chaos.manifest },
        },
        // Wait out the whole ramp before the steady state is checked again.
        pauses: { after: totalDurationSeconds(spec.steps) },
      },
    ],
    rollbacks: [
      {
        type: 'action',
        name: `delete-${chaos.plural}-${chaos.name}`.slice(0, 120),
        provider: {
          type: 'python',
          module: 'chaosk8s.crd.actions',
          func: 'delete_custom_object',
          arguments: { ...target, name: chaos.name },
        },
      },
    ],
  };
}

export function chaosToolkitJson(spec: ExperimentSpec): string {
  return `${JSON.stringify(chaosToolkitExperiment(spec), null, 2)}\n`;
}
