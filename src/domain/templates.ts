import type { AbortCondition } from './abort-conditions';
import type { Environment } from './environments';
import type { ExperimentSpec } from './experiment';

export const TEMPLATE_IDS = [
  'cpu-pressure',
  'dependency-latency',
  'error-burst',
  'instance-shutdown',
] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

interface TemplateTarget {
  service: string;
  environment: Environment;
  /** For the latency template: the dependency whose calls are slowed, named in the hypothesis. */
  dependency?: string;
}

interface ExperimentTemplate {
  id: TemplateId;
  label: string;
  /** One line for the template picker. */
  description: string;
  build(target: TemplateTarget): ExperimentSpec;
}

const fiveXxAbove = (threshold: number, windowSeconds: number): AbortCondition => ({
  kind: 'threshold',
  metric: 'http_5xx_rate',
  comparator: '>',
  threshold,
  windowSeconds,
  scope: 'target',
});

const errorRateRising: AbortCondition = {
  kind: 'rising',
  metric: 'error_rate',
  delta: 2,
  windowSeconds: 30,
  scope: 'target',
};

const selectorRadius = (
  mode: 'count' | 'percent',
  value: number,
): ExperimentSpec['blastRadius'] => ({
  scope: 'containers',
  selector: {},
  mode,
  value,
  source: { kind: 'selector' },
});

export const TEMPLATES: Record<TemplateId, ExperimentTemplate> = {
  'cpu-pressure': {
    id: 'cpu-pressure',
    label: 'CPU pressure',
    description: 'Starve a quarter of the containers of CPU, in two steps.',
    build: ({ service, environment }) => ({
      name: `CPU pressure on ${service}`,
      hypothesis: `${service} keeps its 5xx rate under 1 % while a quarter of its containers are CPU-starved.`,
      notes: '',
      environment,
      service,
      blastRadius: selectorRadius('percent', 25),
      attack: { type: 'cpu' },
      steps: [
        { magnitude: 50, durationSeconds: 120 },
        { magnitude: 60, durationSeconds: 120 },
      ],
      abortConditions: [fiveXxAbove(1, 10), errorRateRising],
    }),
  },
  'dependency-latency': {
    id: 'dependency-latency',
    label: 'Latency to a dependency',
    description: 'Slow the calls of one container to what it depends on, then slow them more.',
    build: ({ service, environment, dependency }) => {
      const callee = dependency?.trim() ? dependency.trim() : 'its dependencies';
      return {
        name: `Latency from ${service} to ${callee}`,
        hypothesis:
          `${service} times out and degrades gracefully when ${callee} ` +
          `answer${dependency ? 's' : ''} slowly: p99 latency stays under 1000 ms.`,
        notes: '',
        environment,
        service,
        blastRadius: selectorRadius('count', 1),
        attack: { type: 'latency' },
        steps: [
          { magnitude: 200, durationSeconds: 120 },
          { magnitude: 500, durationSeconds: 120 },
        ],
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'latency_p99',
            comparator: '>',
            threshold: 1000,
            windowSeconds: 30,
            scope: 'target',
          },
          fiveXxAbove(2, 10),
        ],
      };
    },
  },
  'error-burst': {
    id: 'error-burst',
    label: 'Error burst',
    description: 'Answer a share of requests with 500 for a short burst.',
    build: ({ service, environment }) => ({
      name: `Error burst on ${service}`,
      hypothesis: `Callers of ${service} retry and keep the service-wide error rate under 10 % during a burst of 500s.`,
      notes: '',
      environment,
      service,
      blastRadius: selectorRadius('percent', 10),
      attack: { type: 'error' },
      steps: [
        { magnitude: 5, durationSeconds: 60 },
        { magnitude: 20, durationSeconds: 60 },
      ],
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'error_rate',
          comparator: '>',
          threshold: 10,
          windowSeconds: 10,
          scope: 'service',
        },
      ],
    }),
  },
  'instance-shutdown': {
    id: 'instance-shutdown',
    label: 'Instance shutdown',
    description: 'Shut down one container and watch the rest take over.',
    build: ({ service, environment }) => ({
      name: `Shut down one container of ${service}`,
      hypothesis: `${service} keeps serving when one container goes away: 5xx rate under 2 %, p99 latency under 1000 ms.`,
      notes: '',
      environment,
      service,
      blastRadius: selectorRadius('count', 1),
      attack: { type: 'shutdown' },
      steps: [{ durationSeconds: 300 }],
      abortConditions: [
        { ...fiveXxAbove(2, 30), scope: 'service' },
        {
          kind: 'threshold',
          metric: 'latency_p99',
          comparator: '>',
          threshold: 1000,
          windowSeconds: 30,
          scope: 'service',
        },
      ],
    }),
  },
};

export function buildFromTemplate(id: TemplateId, target: TemplateTarget): ExperimentSpec {
  return TEMPLATES[id].build(target);
}

/** A new experiment's starting point from an earlier one: the same design, a new name. */
export function duplicateSpec(spec: ExperimentSpec): ExperimentSpec {
  const name = `Copy of ${spec.name}`.slice(0, 120);
  return { ...structuredClone(spec), name };
}

/**
 * The same experiment for another stage. The blast radius keeps its selector, mode and value;
 * it resolves again over that environment's instances.
 */
export function specForEnvironment(spec: ExperimentSpec, environment: Environment): ExperimentSpec {
  return { ...structuredClone(spec), environment };
}
