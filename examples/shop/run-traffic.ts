import { parseArgs } from 'node:util';
import { runTraffic } from './traffic';

/**
 * `tsx examples/shop/run-traffic.ts --target http://127.0.0.1:7001 [--target …] --rate 20
 * --duration-s 3600`: simulated users checking out until the duration, the request count or
 * SIGINT / SIGTERM ends it; then a summary by status code.
 */
const { values } = parseArgs({
  options: {
    target: { type: 'string', multiple: true, default: [] },
    rate: { type: 'string', default: '20' },
    'duration-s': { type: 'string', default: '3600' },
    'max-requests': { type: 'string', default: '10000000' },
    seed: { type: 'string', default: '1' },
  },
});
const rate = Number(values.rate);
const durationS = Number(values['duration-s']);
const maxRequests = Number(values['max-requests']);
if (
  !(rate > 0 && rate <= 1000) ||
  !(durationS > 0 && durationS <= 7 * 86_400) ||
  !(maxRequests > 0)
) {
  process.stderr.write(
    'traffic: --rate 1–1000 per second, --duration-s up to a week, --max-requests > 0\n',
  );
  process.exit(2);
}
const stop = new AbortController();
process.on('SIGINT', () => stop.abort());
process.on('SIGTERM', () => stop.abort());
try {
  const summary = await runTraffic({
    targets: values.target,
    ratePerSecond: rate,
    durationMs: durationS * 1000,
    maxRequests,
    seed: Number(values.seed),
    signal: stop.signal,
  });
  process.stdout.write(
    `traffic: ${summary.sent} requests sent, answers ${JSON.stringify(summary.byStatus)}\n`,
  );
} catch (error) {
  process.stderr.write(`traffic: ${(error as Error).message}\n`);
  process.exit(2);
}
