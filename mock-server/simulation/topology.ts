import {
  ENVIRONMENTS,
  type Environment,
  type Fleet,
  type Instance,
  type Service,
} from '../../src/domain';

/** How a service behaves at rest: the numbers faults push away from. */
export interface ServiceProfile {
  service: Service;
  /** CPU at normal load, % */
  baseCpu: number;
  /** Memory at rest, % */
  baseMemory: number;
  /** Median and p99 request latency at normal load, ms */
  latencyP50: number;
  latencyP99: number;
  /** Share of requests answered 4xx by client mistakes, % */
  base4xx: number;
  /** Share of requests answered 5xx on a good day, % */
  base5xx: number;
  /** Requests per second of the whole service in production; smaller stages see a fraction. */
  productionRps: number;
}

export const SERVICE_PROFILES: readonly ServiceProfile[] = [
  {
    service: {
      name: 'checkout',
      description: 'Takes the basket to an order: prices, stock holds, payment hand-off.',
    },
    baseCpu: 35,
    baseMemory: 55,
    latencyP50: 45,
    latencyP99: 140,
    base4xx: 1.5,
    base5xx: 0.08,
    productionRps: 420,
  },
  {
    service: { name: 'payments', description: 'Charges cards through the payment provider.' },
    baseCpu: 30,
    baseMemory: 50,
    latencyP50: 80,
    latencyP99: 240,
    base4xx: 2.5,
    base5xx: 0.1,
    productionRps: 180,
  },
  {
    service: { name: 'catalog', description: 'Products, prices and availability.' },
    baseCpu: 25,
    baseMemory: 60,
    latencyP50: 20,
    latencyP99: 90,
    base4xx: 0.8,
    base5xx: 0.05,
    productionRps: 1400,
  },
  {
    service: { name: 'frontend', description: 'Server-side rendering of the shop pages.' },
    baseCpu: 40,
    baseMemory: 45,
    latencyP50: 60,
    latencyP99: 180,
    base4xx: 3,
    base5xx: 0.06,
    productionRps: 2000,
  },
  {
    service: { name: 'search', description: 'Full-text product search.' },
    baseCpu: 45,
    baseMemory: 70,
    latencyP50: 70,
    latencyP99: 260,
    base4xx: 0.5,
    base5xx: 0.05,
    productionRps: 600,
  },
];

/** Size of each stage: hosts per service, containers per host, share of production traffic. */
export const STAGE_SIZE: Record<
  Environment,
  { hosts: number; containersPerHost: number; trafficShare: number }
> = {
  development: { hosts: 2, containersPerHost: 2, trafficShare: 0.02 },
  testing: { hosts: 3, containersPerHost: 2, trafficShare: 0.05 },
  staging: { hosts: 4, containersPerHost: 3, trafficShare: 0.15 },
  production: { hosts: 9, containersPerHost: 3, trafficShare: 1 },
};

const STAGE_SHORT: Record<Environment, string> = {
  development: 'dev',
  testing: 'tst',
  staging: 'stg',
  production: 'prd',
};
const ZONES = ['a', 'b', 'c'] as const;
/** Stages where the last host of each service runs the canary version. */
const CANARY_STAGES: readonly Environment[] = ['staging', 'production'];

/** The whole fleet, the same every time: services × environments × hosts × containers. */
export function buildFleet(): Fleet {
  const instances: Instance[] = [];
  for (const { service } of SERVICE_PROFILES) {
    for (const environment of ENVIRONMENTS) {
      const size = STAGE_SIZE[environment];
      for (let h = 0; h < size.hosts; h++) {
        const zone = ZONES[h % ZONES.length] ?? 'a';
        const canary = CANARY_STAGES.includes(environment) && h === size.hosts - 1;
        const labels = { zone, version: canary ? 'canary' : 'stable' };
        const hostId = `${service.name}-${STAGE_SHORT[environment]}-h${h + 1}`;
        instances.push({
          id: hostId,
          kind: 'host',
          service: service.name,
          environment,
          hostId,
          labels,
        });
        for (let c = 0; c < size.containersPerHost; c++) {
          instances.push({
            id: `${hostId}-c${c + 1}`,
            kind: 'container',
            service: service.name,
            environment,
            hostId,
            labels: { ...labels },
          });
        }
      }
    }
  }
  return { services: SERVICE_PROFILES.map((p) => p.service), instances };
}
