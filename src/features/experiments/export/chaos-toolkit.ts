import {
  PROMETHEUS_EXPOSITION,
  describeCondition,
  totalDurationSeconds,
  type AbortCondition,
  type ExperimentSpec,
} from '@/domain';
import type { ChaosMeshOptions } from './blast-radius-limit';
import { CHAOS_MESH_API_VERSION, chaosMeshExport } from './chaos-mesh';

type Json = Record<string, unknown>;

export interface ChaosToolkitOptions extends ChaosMeshOptions {
  /** The experiment's id on the server: its target series carry it as `experiment_id`. */
  experimentId?: string;
  /**
   * How often the Prometheus the probes ask scrapes Faultline, in s (Prometheus's default is
   * 60 s). A window shorter than two scrapes may hold no sample at all, so windows are widened to it.
   */
  scrapeIntervalSeconds?: number;
}

/** Prometheus's own default scrape interval, in s. */
const DEFAULT_SCRAPE_INTERVAL_SECONDS = 60;

/** The configuration key the target probes read the experiment's id from. */
const EXPERIMENT_ID_KEY = 'faultline_experiment_id';

/** A number as PromQL reads it, without floating-point noise (0.8, not 0.8000000000000002). */
const promNumber = (value: number) => String(Number(value.toPrecision(12)));

/** The window a probe reads, in s: the condition's, but never shorter than two scrapes. */
function probeWindowSeconds(condition: AbortCondition, scrapeIntervalSeconds: number) {
  return Math.max(condition.windowSeconds, 2 * scrapeIntervalSeconds);
}

/**
 * PromQL that answers 1 while the condition holds and 0 while it does not (and nothing when
 * Prometheus has no data, which a probe must not take for health). Target probes read the
 * experiment's own target series (`experiment_id`, from the configuration); whole-service
 * probes read the service's aggregate series (`group="all"`, no cohort). `max(...)` folds
 * whatever is left (several Faultline replicas) into one answer: any of them breached.
 */
export function promQuery(
  condition: AbortCondition,
  service: string,
  environment: string,
  scrapeIntervalSeconds = DEFAULT_SCRAPE_INTERVAL_SECONDS,
): string {
  const { name, scale } = PROMETHEUS_EXPOSITION[condition.metric];
  const group =
    condition.scope === 'service'
      ? 'group="all",cohort=""'
      : `group="target",experiment_id="\${${EXPERIMENT_ID_KEY}}"`;
  const series = `${name}{service="${service}",environment="${environment}",${group}}`;
  const window = `${probeWindowSeconds(condition, scrapeIntervalSeconds)}s`;
  if (condition.kind === 'rising')
    return `max(${series} - ${series} offset ${window}) > bool ${promNumber(condition.delta * scale)}`;
  const threshold = promNumber(condition.threshold * scale);
  if (condition.windowSeconds === 0)
    return `max(${series}) ${condition.comparator} bool ${threshold}`;
  // "> t for W" holds when every sample in W is above t, i.e. when the smallest one is.
  const over =
    condition.comparator === '>' || condition.comparator === '>='
      ? 'min_over_time'
      : 'max_over_time';
  return `max(${over}(${series}[${window}])) ${condition.comparator} bool ${threshold}`;
}

/**
 * The steady state, as Chaos Toolkit checks an HTTP probe: in the response body, the first
 * result's value is "0" (the condition does not hold). No result (no data, a bad query) fails.
 */
const STEADY_TOLERANCE = {
  type: 'jsonpath',
  target: 'body',
  path: '$.data.result[0].value[1]',
  expect: '0',
} as const;

function probeName(condition: AbortCondition): string {
  return `abort condition does not hold: ${describeCondition(condition)}`;
}

function probeOf(condition: AbortCondition, spec: ExperimentSpec, scrapeSeconds: number): Json {
  return {
    type: 'probe',
    name: probeName(condition),
    tolerance: STEADY_TOLERANCE,
    provider: {
      type: 'http',
      url: '${prometheus_base_url}/api/v1/query',
      method: 'GET',
      arguments: { query: promQuery(condition, spec.service, spec.environment, scrapeSeconds) },
      timeout: 30,
    },
  };
}

/**
 * The experiment as a Chaos Toolkit experiment: the hypothesis as its description, one
 * steady-state probe per abort condition (a Prometheus query with a tolerance range), the
 * method creates the Chaos Mesh resource of the attack and waits out the ramp, and the
 * rollback deletes it.
 */
export function chaosToolkitExperiment(
  spec: ExperimentSpec,
  options: ChaosToolkitOptions = {},
): Json {
  // Chaos Toolkit judges the conditions with its own probes: the manifest needs no StatusCheck.
  const chaos = chaosMeshExport(spec, { ...(options.targets && { targets: options.targets }) });
  const scrapeSeconds = options.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS;
  const targetProbes = spec.abortConditions.some((c) => c.scope !== 'service');
  const [group = 'chaos-mesh.org', version = 'v1alpha1'] = CHAOS_MESH_API_VERSION.split('/');
  const target = { group, version, plural: chaos.plural, ns: chaos.namespace };
  return {
    version: '1.0.0',
    title: spec.name,
    description: spec.hypothesis,
    tags: ['faultline', spec.service, spec.environment, spec.attack.type],
    configuration: {
      prometheus_base_url: { type: 'env', key: 'PROMETHEUS_URL', default: 'http://localhost:9090' },
      // Without a saved experiment there is no id yet: the run must name it.
      ...(targetProbes && {
        [EXPERIMENT_ID_KEY]: {
          type: 'env',
          key: 'FAULTLINE_EXPERIMENT_ID',
          ...(options.experimentId && { default: options.experimentId }),
        },
      }),
    },
    'steady-state-hypothesis': {
      title: `${spec.service} in ${spec.environment} stays inside its abort conditions`,
      probes: spec.abortConditions.map((condition) => probeOf(condition, spec, scrapeSeconds)),
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

export function chaosToolkitJson(spec: ExperimentSpec, options: ChaosToolkitOptions = {}): string {
  return `${JSON.stringify(chaosToolkitExperiment(spec, options), null, 2)}\n`;
}
