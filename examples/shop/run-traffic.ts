import { parseArgs } from 'node:util';
import { runTraffic, type TrafficOptions } from './traffic';

/**
 * `tsx examples/shop/run-traffic.ts --target http://127.0.0.1:7001 [--target …] --rate 20
 * --duration-s 3600`: simulated users checking out until the duration, the request count or
 * SIGINT / SIGTERM ends it; then a summary by status code.
 *
 * As the service's load balancer, with `--canary-target URL [--canary-target …] --weights-from
 * http://127.0.0.1:4400 --service checkout --environment staging`: the canary's instances get
 * the share of requests Faultline's `faultline_canary_weight` says (read from its /metrics about
 * once a second), the `--target`s the rest; none while no rollout sends the canary traffic.
 */
const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true, default: [] },
    'canary-target': { type: 'string', multiple: true, default: [] },
    'weights-from': { type: 'string' },
    service: { type: 'string' },
    environment: { type: 'string' },
    rate: { type: 'string', default: '20' },
    'duration-s': { type: 'string', default: '3600' },
    'max-requests': { type: 'string', default: '10000000' },
    seed: { type: 'string', default: '1' },
  },
});
const rate = Number(values.rate);
const durationS = Number(values['duration-s']);
const maxRequests = Number(values['max-requests']);
const fail: (message: string) => never = (message) => {
  process.stderr.write(`traffic: ${message}\n`);
  process.exit(2);
};
if (
  !(rate > 0 && rate <= 1000) ||
  !(durationS > 0 && durationS <= 7 * 86_400) ||
  !(maxRequests > 0)
) {
  fail('--rate 1–1000 per second, --duration-s up to a week, --max-requests > 0');
}
const canaryTargets = values['canary-target'];
const { service, environment, 'weights-from': weightsFrom } = values;
let canary: TrafficOptions['canary'];
if (canaryTargets.length > 0 || weightsFrom !== undefined) {
  if (!(canaryTargets.length > 0 && weightsFrom && service && environment))
    fail('--canary-target and --weights-from go together, with --service and --environment');
  canary = {
    targets: canaryTargets,
    weightFrom: {
      faultlineUrl: weightsFrom,
      service,
      environment,
      onChange: (weight) =>
        process.stdout.write(
          `traffic: ${Math.round(weight * 1000) / 10} % of ${service} in ${environment} to the canary\n`,
        ),
    },
  };
}

const stop = new AbortController();
process.on('SIGINT', () => stop.abort());
process.on('SIGTERM', () => stop.abort());
try {
  const summary = await runTraffic({
    targets: values.target,
    ...(canary ? { canary } : {}),
    ratePerSecond: rate,
    durationMs: durationS * 1000,
    maxRequests,
    seed: Number(values.seed),
    signal: stop.signal,
  });
  process.stdout.write(
    `traffic: ${summary.sent} requests sent` +
      (canary ? ` (${summary.toCanary} to the canary)` : '') +
      `, answers ${JSON.stringify(summary.byStatus)}\n`,
  );
} catch (error) {
  process.stderr.write(`traffic: ${(error as Error).message}\n`);
  process.exit(2);
}
