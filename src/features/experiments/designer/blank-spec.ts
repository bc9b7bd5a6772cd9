import type { Environment, ExperimentSpecInput } from '@/domain';

/** A new experiment before anything is chosen: one gentle step, one abort condition, in development. */
export function blankSpec(environment: Environment = 'development'): ExperimentSpecInput {
  return {
    name: '',
    hypothesis: '',
    notes: '',
    environment,
    service: '',
    blastRadius: {
      scope: 'containers',
      selector: {},
      mode: 'count',
      value: 1,
      source: { kind: 'selector' },
    },
    attack: { type: 'cpu' },
    steps: [{ magnitude: 50, durationSeconds: 120 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
  };
}
