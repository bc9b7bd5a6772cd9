import type { AttackType } from './attacks';
import type { Metric } from './metrics';

/**
 * The public status page speaks to people who never opened the dashboard: no metric names,
 * no status codes, no attack kinds. These are the words it uses instead; the dashboard keeps
 * METRIC_INFO's and ATTACK_INFO's.
 */

/** What a planned test does, as a manager would say it: "Testing extra load on servers". */
export const PLAIN_ATTACK: Record<AttackType, string> = {
  cpu: 'extra load on servers',
  memory: 'servers short of memory',
  latency: 'delayed responses',
  error: 'some requests made to fail',
  'rate-limit': 'some requests turned away',
  'connection-drop': 'some connections cut off',
  'packet-loss': 'an unreliable network',
  shutdown: 'servers switched off',
};

/** The same as a verb before "3 servers of checkout": "put extra load on". */
export const PLAIN_ATTACK_VERB: Record<AttackType, string> = {
  cpu: 'put extra load on',
  memory: 'used up the memory of',
  latency: 'delayed the responses of',
  error: 'made some requests fail on',
  'rate-limit': 'turned away some requests to',
  'connection-drop': 'cut off some connections to',
  'packet-loss': 'disturbed the network of',
  shutdown: 'switched off',
};

/** What users would notice when a metric goes bad: the headline of an incident. */
export const PLAIN_SYMPTOM: Record<Metric, string> = {
  cpu: 'servers overloaded',
  memory: 'servers short of memory',
  error_rate: 'some requests failing',
  http_4xx_rate: 'some requests refused',
  http_5xx_rate: 'some requests failing',
  latency_p99: 'slower responses',
  request_rate: 'unusual traffic',
};

/** The thing that changed, inside a sentence: "failing requests kept rising". */
const PLAIN_NOUN: Record<Metric, string> = {
  cpu: 'the load on the servers',
  memory: 'the memory the servers used',
  error_rate: 'failing requests',
  http_4xx_rate: 'refused requests',
  http_5xx_rate: 'failing requests',
  latency_p99: 'response times',
  request_rate: 'traffic',
};

const round = (value: number) => Math.round(value * 10) / 10;

/** Milliseconds as a person reads them: "450 ms", "1.2 s". */
export function plainDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${round(ms / 1000)} s`;
}

/**
 * A measured value in words: "7.2 % of requests were failing", "the slowest 1 in 100
 * requests took 1.2 s".
 */
export function plainMeasurement(metric: Metric, value: number): string {
  switch (metric) {
    case 'cpu':
      return `the servers were ${round(value)} % busy`;
    case 'memory':
      return `the servers’ memory was ${round(value)} % full`;
    case 'error_rate':
    case 'http_5xx_rate':
      return `${round(value)} % of requests were failing`;
    case 'http_4xx_rate':
      return `${round(value)} % of requests were refused`;
    case 'latency_p99':
      return `the slowest 1 in 100 requests took ${plainDuration(value)}`;
    case 'request_rate':
      return `traffic was ${round(value)} requests a second`;
  }
}

/** A value that kept growing, in words: "failing requests kept rising". */
export function plainRise(metric: Metric): string {
  return `${PLAIN_NOUN[metric]} kept rising`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/**
 * A time in text the server writes once and everyone reads, wherever they are: "2 Dec 21:40
 * UTC". Fixed to UTC and English month names so it is the same on every machine.
 */
export function plainUtcTime(at: number): string {
  const d = new Date(at);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}
