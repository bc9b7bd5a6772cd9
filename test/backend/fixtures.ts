import { buildFromTemplate } from '@/domain/templates';
import type { Experiment } from '@/domain/experiment';
import type { MetricSample, MetricValues } from '@/domain/metrics';
import type { User } from '@/domain/roles';

export const USERS: Record<User['role'], User> = {
  viewer: { name: 'vic-viewer', displayName: 'Vic Viewer', role: 'viewer' },
  developer: { name: 'dev-dana', displayName: 'Dana Developer', role: 'developer' },
  sre: { name: 'sam-sre', displayName: 'Sam SRE', role: 'sre' },
  admin: { name: 'ada-admin', displayName: 'Ada Admin', role: 'admin' },
};

let counter = 0;

/** A draft of the CPU sample: checkout in staging, 50 % then 60 %, 5xx > 1 % for 10 s or error rate rising. */
export function cpuExperiment(overrides: Partial<Experiment> = {}): Experiment {
  counter++;
  const spec = buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'staging' });
  const id = `exp-${counter}`;
  return {
    ...spec,
    id,
    lineageId: id,
    state: 'draft',
    version: 1,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    createdBy: 'sam-sre',
    run: null,
    ...overrides,
  };
}

export function runningExperiment(
  startedAt: number,
  overrides: Partial<Experiment> = {},
): Experiment {
  const base = cpuExperiment(overrides);
  return {
    ...base,
    state: 'running',
    version: base.version + 1,
    run: {
      startedAt,
      startedBy: 'sam-sre',
      targets: ['checkout-staging-c1', 'checkout-staging-c4'],
      matchingCount: 8,
      stepIndex: 0,
      endedAt: null,
      outcome: null,
    },
    ...overrides,
  };
}

const CALM: MetricValues = {
  cpu: 30,
  memory: 40,
  error_rate: 0.2,
  http_4xx_rate: 0.5,
  http_5xx_rate: 0.1,
  latency_p99: 180,
  request_rate: 120,
};

export function sample(
  t: number,
  group: MetricSample['group'],
  values: Partial<MetricValues> = {},
  experimentId?: string,
): MetricSample {
  return {
    t,
    service: 'checkout',
    environment: 'staging',
    group,
    ...(experimentId ? { experimentId } : {}),
    values: { ...CALM, ...values },
  };
}
