import { buildApp, type FaultlineApp } from '../mock-server/app';
import { parseBackendsConfig } from '../mock-server/backends/backends-config';
import { systemClock } from '../mock-server/clock';
import type { Experiment, ExperimentSpec } from '../src/domain';
import { startExporter, type RunningExporter } from '../test/mock-server/metrics-exporter';
import {
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from '../test/mock-server/real-prometheus';
import { summarize, type BenchResult } from './bench-result';

export const name = 'Prometheus source';

/** Instances, each the blast radius of its own experiments, so breaches run side by side. */
const SLOTS = 6;
/** Breaches per slot: SLOTS × this many measured aborts. */
const BREACHES_PER_SLOT = 10;
/** Experiments running while one evaluation is timed. */
const RUNNING = 50;
const EVALUATIONS = 30;
/** The abort within one evaluation after the sample is scraped, at a 1 s scrape and 1 s interval, in ms. */
const ABORT_BUDGET_MS = 1500;
/** One evaluation of every running experiment must end before the next is due (1 s), in ms. */
const EVALUATION_BUDGET_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const user = { name: 'sam-sre', displayName: 'Sam', role: 'sre' as const };

/** One host (its slot) until its 5xx pass 0.5 %: one failing scrape is enough. */
const spec = (slot: number, index: number): ExperimentSpec => ({
  name: `Prometheus abort ${slot}-${index}`,
  hypothesis: 'The shop keeps 5xx under 0.5 % on one host.',
  notes: '',
  environment: 'staging',
  service: 'shop',
  blastRadius: {
    scope: 'hosts',
    selector: { slot: `s${slot}` },
    mode: 'all',
    source: { kind: 'selector' },
  },
  attack: { type: 'latency' },
  steps: [{ magnitude: 10, durationSeconds: 3600 }],
  abortConditions: [
    {
      kind: 'threshold',
      metric: 'http_5xx_rate',
      comparator: '>',
      threshold: 0.5,
      windowSeconds: 0,
      scope: 'target',
    },
  ],
});

let ids = 0;
async function startExperiment(app: FaultlineApp, experimentSpec: ExperimentSpec) {
  const now = Date.now();
  const id = `bench-prom-${++ids}`;
  const draft: Experiment = {
    ...experimentSpec,
    id,
    lineageId: id,
    state: 'draft',
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: user.name,
    run: null,
  };
  app.context.experiments.insert(draft);
  // The steady state may still carry the last breach's 5xx: try again until it is clean.
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      return await app.engine.start(id, { version: 1 }, user);
    } catch {
      await sleep(500);
    }
  }
  throw new Error(`${id} could not start within 20 s`);
}

function appOn(prometheus: RunningPrometheus, exporter: RunningExporter, ticking: boolean) {
  return buildApp({
    database: ':memory:',
    clock: systemClock,
    sampleData: false,
    ticking,
    config: {
      tickMs: 1000,
      backends: parseBackendsConfig({
        environments: {
          staging: {
            metrics: { url: prometheus.url, evaluationIntervalMs: 1000, range: '3s' },
            fleet: {
              services: [{ name: 'shop' }],
              instances: exporter.instances.map((instance, slot) => ({
                id: `shop-${slot}`,
                service: 'shop',
                metricsInstance: instance.target,
                labels: { slot: `s${slot}` },
              })),
            },
          },
        },
      }),
    },
  });
}

/** Breach → abort: from the scrape that first served the failures to the abort saved, in ms. */
async function abortLatencies(app: FaultlineApp, exporter: RunningExporter): Promise<number[]> {
  const abortedAt = new Map<string, number>();
  app.engine.onTick((report) => {
    for (const { experiment } of report.aborted) abortedAt.set(experiment.id, Date.now());
  });
  const latencies: number[] = [];
  await Promise.all(
    exporter.instances.map(async (instance, slot) => {
      for (let breach = 0; breach < BREACHES_PER_SLOT; breach++) {
        const experiment = await startExperiment(app, spec(slot, breach));
        // Started at a random phase of the scrape, as a real breach would come.
        await sleep(1000 + Math.random() * 1000);
        instance.fivexxServedAt = null;
        instance.failShare = 1;
        for (let wait = 0; wait < 100 && !abortedAt.has(experiment.id); wait++) await sleep(50);
        instance.failShare = 0;
        const aborted = abortedAt.get(experiment.id);
        if (aborted === undefined || instance.fivexxServedAt === null)
          throw new Error(`slot ${slot}, breach ${breach}: no abort within 5 s`);
        latencies.push(aborted - instance.fivexxServedAt);
        // The rate window (3 s) forgets the failures before the next start.
        await sleep(4000);
      }
    }),
  );
  return latencies;
}

/** Instant queries Prometheus has answered so far, as its own /metrics counts them. */
async function instantQueriesServed(prometheus: RunningPrometheus): Promise<number> {
  const text = await (await fetch(`${prometheus.url}/metrics`)).text();
  const counted = text
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('prometheus_http_requests_total{') &&
        line.includes('handler="/api/v1/query"'),
    );
  return counted.reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** One evaluation (instant queries of every group, judging, publishing) with RUNNING experiments. */
async function evaluationCost(prometheus: RunningPrometheus, exporter: RunningExporter) {
  const faultline = await appOn(prometheus, exporter, false);
  const { app, engine } = faultline;
  try {
    for (let i = 0; i < RUNNING; i++) await startExperiment(faultline, spec(i % SLOTS, 100 + i));
    const before = await instantQueriesServed(prometheus);
    const millis: number[] = [];
    const unread: number[] = [];
    for (let evaluation = 0; evaluation < EVALUATIONS; evaluation++) {
      await sleep(1000);
      const before = performance.now();
      const report = await engine.tick();
      millis.push(performance.now() - before);
      // A group past the query timeout is a gap: counted, as missing data is never healthy.
      unread.push(report.gaps.length);
      // Experiments that aborted (no metrics past the grace) leave the evaluation smaller: counted above.
    }
    const queries = ((await instantQueriesServed(prometheus)) - before) / EVALUATIONS;
    return { millis, unread, queries };
  } finally {
    await app.close();
  }
}

export async function run(): Promise<BenchResult[]> {
  if (!prometheusInstalled('the Prometheus source benchmark')) return [];
  const exporter = await startExporter(SLOTS);
  const prometheus = await startPrometheus([
    {
      targets: exporter.instances.map((i) => i.target),
      labels: { service: 'shop', environment: 'staging' },
    },
  ]);
  try {
    await prometheus.ready();
    await sleep(4000);
    const faultline = await appOn(prometheus, exporter, true);
    let latencies: number[];
    try {
      latencies = await abortLatencies(faultline, exporter);
    } finally {
      await faultline.app.close();
    }
    const { millis: evaluations, unread, queries } = await evaluationCost(prometheus, exporter);
    return [
      summarize(
        'scraped breaching sample → abort (1 s scrape, 1 s evaluation)',
        'ms',
        latencies,
        ABORT_BUDGET_MS,
      ),
      summarize(
        `one evaluation, ${RUNNING} experiments (${queries.toFixed(1)} instant queries each)`,
        'ms',
        evaluations,
        EVALUATION_BUDGET_MS,
      ),
      summarize(
        `groups unread per evaluation (over the ${800} ms query timeout), ${RUNNING} experiments`,
        'groups',
        unread,
        0,
      ),
    ];
  } finally {
    await prometheus.stop();
    await exporter.stop();
  }
}
