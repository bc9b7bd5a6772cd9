import type { Injection } from '../../src/domain';
import type { ServiceProfile } from './topology';
import type { CodePathDefect } from './traffic-split';

/** Requests slower than this are cut off by the caller and answered 504, in ms. */
export const REQUEST_TIMEOUT_MS = 2000;

/** Every fault in force on one container, combined over the experiments that hit it. */
export interface Faults {
  /** CPU taken by the stressor, percentage points */
  cpu: number;
  /** Memory taken by the stressor, percentage points */
  memory: number;
  /** Added to every request, ms */
  latencyMs: number;
  /** Share of requests answered 500, % */
  errorPercent: number;
  /** Share of requests answered 429 by a rate limiter, % */
  rateLimitPercent: number;
  /** Share of requests whose connection is cut before an answer, % */
  dropPercent: number;
  /** Share of packets dropped, % */
  packetLossPercent: number;
  down: boolean;
}

export const NO_FAULTS: Faults = {
  cpu: 0,
  memory: 0,
  latencyMs: 0,
  errorPercent: 0,
  rateLimitPercent: 0,
  dropPercent: 0,
  packetLossPercent: 0,
  down: false,
};

/** Two independent chances of failure, in %, combined: 1 − (1 − a)(1 − b). */
const either = (a: number, b: number) => 100 * (1 - (1 - a / 100) * (1 - b / 100));

export function addInjection(faults: Faults, injection: Injection): Faults {
  const magnitude = injection.magnitude ?? 0;
  switch (injection.attack) {
    case 'cpu':
      return { ...faults, cpu: faults.cpu + magnitude };
    case 'memory':
      return { ...faults, memory: faults.memory + magnitude };
    case 'latency':
      return { ...faults, latencyMs: faults.latencyMs + magnitude };
    case 'error':
      return { ...faults, errorPercent: either(faults.errorPercent, magnitude) };
    case 'rate-limit':
      return { ...faults, rateLimitPercent: either(faults.rateLimitPercent, magnitude) };
    case 'connection-drop':
      return { ...faults, dropPercent: either(faults.dropPercent, magnitude) };
    case 'packet-loss':
      return { ...faults, packetLossPercent: either(faults.packetLossPercent, magnitude) };
    case 'shutdown':
      return { ...faults, down: true };
  }
}

/** What one container did during one tick. Rates are % of its requests. */
export interface ContainerReading {
  up: boolean;
  /** requests per second */
  requests: number;
  cpu: number;
  memory: number;
  /** ms */
  latencyP99: number;
  rate4xx: number;
  rate5xx: number;
  /** Requests that failed: 5xx plus those lost without an answer (reset connections). */
  errorRate: number;
  /** The log-normal latency distribution: mean and spread of ln(latency in ms). */
  latencyLog: { mu: number; sigma: number };
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * 5xx from overload, %: next to nothing below 80 % CPU, a trickle up to 90 %, then requests are
 * shed steeply as the container saturates (13 % at 95 % CPU, 25 % at 100 %).
 */
function saturation5xx(utilisation: number): number {
  if (utilisation <= 0.8) return 0;
  if (utilisation <= 0.9) return (utilisation - 0.8) * 5;
  return 0.5 + ((utilisation - 0.9) / 0.1) * 25;
}

/** 5xx of a defective code path at this CPU (%), in % of its requests. */
function defect5xx(
  defect: Pick<CodePathDefect, 'failsAboveCpuPercent' | 'fivexxPerCpuPercent'>,
  cpu: number,
): number {
  return clamp((cpu - defect.failsAboveCpuPercent) * defect.fivexxPerCpuPercent, 0, 100);
}

/**
 * One container for one tick. `load` is its requests per second and `loadFactor` how that compares
 * with its normal share (2 = twice its usual traffic, because others went down). `noise` returns
 * a value in [-1, 1). `defect`: the code path this container serves fails under CPU pressure.
 */
export function measureContainer(
  profile: ServiceProfile,
  load: { requests: number; loadFactor: number },
  faults: Faults,
  noise: () => number,
  defect?: CodePathDefect,
): ContainerReading {
  if (faults.down)
    return {
      up: false,
      requests: 0,
      cpu: 0,
      memory: 0,
      latencyP99: 0,
      rate4xx: 0,
      rate5xx: 0,
      errorRate: 0,
      latencyLog: { mu: 0, sigma: 0.01 },
    };

  const memory = clamp(profile.baseMemory + faults.memory + noise(), 0, 100);
  // Past 90 % memory the garbage collector works harder: more CPU, longer pauses.
  const gcPressure = Math.max(0, memory - 90) / 10;
  const cpu = clamp(
    profile.baseCpu * load.loadFactor * (1 + 0.04 * noise()) + faults.cpu + gcPressure * 10,
    0,
    100,
  );
  const utilisation = cpu / 100;

  // Queueing: latency grows as the CPU runs out, relative to the service's normal load.
  const restingUtilisation = profile.baseCpu / 100;
  const queueing = Math.max(
    0.8,
    ((1 - restingUtilisation) / (1 - Math.min(utilisation, 0.985))) ** 0.7,
  );
  const slowdown = queueing * (1 + gcPressure * 1.5) * (1 + 0.05 * noise());

  // Packet loss: a lost packet costs a retransmission (~200 ms); a request spans ~10 packets.
  const loss = faults.packetLossPercent / 100;
  const touchedByLoss = 1 - (1 - loss) ** 10;
  const retransmitMs = touchedByLoss > 0.01 ? 200 * (1 + 2 * touchedByLoss) : 0;
  const p50 = profile.latencyP50 * slowdown + faults.latencyMs + (touchedByLoss > 0.5 ? 200 : 0);
  const p99 = profile.latencyP99 * slowdown + faults.latencyMs + retransmitMs;

  // Latency is log-normal around p50/p99; what passes the timeout becomes a 504.
  const mu = Math.log(p50);
  const sigma = Math.max(0.01, (Math.log(p99) - mu) / 2.326);
  const timedOut = 1 - normalCdf((Math.log(REQUEST_TIMEOUT_MS) - mu) / sigma);

  const outOfMemory = memory >= 98 ? 15 : 0;
  let rate5xx = profile.base5xx * (1 + 0.3 * noise());
  rate5xx = either(rate5xx, saturation5xx(utilisation));
  rate5xx = either(rate5xx, outOfMemory);
  rate5xx = either(rate5xx, faults.errorPercent);
  rate5xx = either(rate5xx, timedOut * 100);
  if (defect) rate5xx = either(rate5xx, defect5xx(defect, cpu));
  // In the order the fault proxy draws them: a share of requests has its connection cut, a
  // share of the rest is answered 429 by the rate limiter, and only the others reach the
  // service. A cut connection has no status: it is a failed request (error rate) but neither
  // 4xx nor 5xx, like a connection that packet loss resets. A 429 is a 4xx, never a 5xx.
  const answered = 1 - faults.dropPercent / 100;
  const served = answered * (1 - faults.rateLimitPercent / 100);
  const base4xx = Math.max(0, profile.base4xx * (1 + 0.15 * noise()));
  const rate4xx = answered * either(faults.rateLimitPercent, base4xx);
  const served5xx = served * clamp(rate5xx, 0, 100);
  const connectionFailures = either(loss * loss * 50, faults.dropPercent);

  return {
    up: true,
    requests: load.requests,
    cpu,
    memory,
    latencyP99: Math.min(REQUEST_TIMEOUT_MS, p99),
    rate4xx: clamp(rate4xx, 0, 100),
    rate5xx: clamp(served5xx, 0, 100),
    errorRate: clamp(either(served5xx, connectionFailures), 0, 100),
    latencyLog: { mu, sigma },
  };
}
