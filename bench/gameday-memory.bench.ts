import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { FaultlineApp } from '../mock-server/app';
import { ManualClock } from '../mock-server/clock';
import type { BenchResult } from './bench-result';
import { latencySpec, startBenchServer, startExperiment } from './bench-server';

export const name = 'game-day memory';

/** A simulated game day (`BENCH_GAMEDAY_HOURS` shortens it for a quick look). */
const HOURS = Number(process.env.BENCH_GAMEDAY_HOURS ?? 8);
const TICK_MS = 100;
/** Memory is read every this many simulated minutes. */
const SAMPLE_EVERY_MIN = 10;
/**
 * Warm-up: the live series' ring buffers fill for an hour (HISTORY_MS), and an ended run's
 * series is kept an hour after its last sample, so the bounded buffers are full after two.
 */
const WARMUP_HOURS = Math.min(2, HOURS / 4);
const BUDGET_MB_PER_HOUR = 10;
const SERVICES = ['checkout', 'payments', 'catalog', 'search'];

/** A ramp of two steps, 40 min in all: a new run starts as one ends, all day. */
const STEPS = [
  { magnitude: 20, durationSeconds: 1200 },
  { magnitude: 40, durationSeconds: 1200 },
];

/** Full garbage collection, so what is read is what is kept, not what is not yet collected. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** RSS in parts from /proc (Linux), in MB: anonymous memory, and file or shared pages mapped. */
function rssParts(): { anon: number; file: number } {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kB = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { anon: kB('RssAnon') / 1e3, file: (kB('RssFile') + kB('RssShmem')) / 1e3 };
  } catch {
    return { anon: Number.NaN, file: Number.NaN };
  }
}

interface Memory {
  rss: number;
  heap: number;
  external: number;
  anon: number;
  file: number;
}

/** Memory after a full collection, in MB: RSS (and its parts), V8's heap, and buffers outside it. */
function memory(): Memory {
  collectGarbage();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss: rss / 1e6, heap: heapUsed / 1e6, external: external / 1e6, ...rssParts() };
}

/** Least-squares slope of y over x. */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const num = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const den = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** Keeps four experiments running: any that ended is followed by a fresh one on its service. */
async function keepFourRunning(context: FaultlineApp['context'], runs: Map<string, string>) {
  for (const service of SERVICES) {
    const current = runs.get(service);
    if (current && context.experiments.get(current)?.state === 'running') continue;
    const index = runs.size + Math.floor(Math.random() * 1e9);
    const id = `gameday-${service}-${index}`;
    const spec = latencySpec(`Game day ${index} on ${service}`, service, {
      steps: STEPS,
      abortAbove: 90,
    });
    await startExperiment(context, id, spec);
    runs.set(service, id);
  }
}

/**
 * RSS over a simulated game day: a fake clock ticking every 100 ms (every tick samples the
 * fleet, judges abort conditions and publishes on the live stream), four experiments running
 * all day on a database on disk. The slope after warm-up must stay under 10 MB per hour.
 */
export async function run(): Promise<BenchResult[]> {
  // Before the server exists: what node, tsx and this bench cost on their own.
  const bare = memory();
  const clock = new ManualClock(Date.UTC(2025, 0, 6, 8, 0, 0));
  const server = await startBenchServer({
    tickMs: TICK_MS,
    onDisk: 'faultline-gameday-bench',
    clock,
    sampleData: true,
    listen: false,
  });
  const { context } = server;
  const runs = new Map<string, string>();
  const samples: (Memory & { hour: number })[] = [];
  const started = Date.now();
  try {
    const minutes = HOURS * 60;
    for (let minute = 0; minute <= minutes; minute++) {
      if (minute % SAMPLE_EVERY_MIN === 0) {
        const sample = { hour: minute / 60, ...memory() };
        samples.push(sample);
        // Progress on stderr, so a long day on a busy machine shows where it is.
        if (minute % 60 === 0)
          process.stderr.write(
            `  game day ${sample.hour} h: RSS ${sample.rss.toFixed(0)} MB ` +
              `(anonymous ${sample.anon.toFixed(0)}, file/shared ${sample.file.toFixed(0)}), ` +
              `heap ${sample.heap.toFixed(0)} MB, external ${sample.external.toFixed(0)} MB ` +
              `(${((Date.now() - started) / 1000).toFixed(0)} s)\n`,
          );
      }
      if (minute === minutes) break;
      await keepFourRunning(context, runs);
      for (let tick = 0; tick < 60_000 / TICK_MS; tick++) clock.advance(TICK_MS);
      // Let anything the ticks queued (stream writes, timers) run, as a live server would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await server.close();
  }
  const after = samples.filter((s) => s.hour >= WARMUP_HOURS);
  const rssSlope = slope(after.map((s) => ({ x: s.hour, y: s.rss })));
  const heapSlope = slope(after.map((s) => ({ x: s.hour, y: s.heap })));
  const first = after[0];
  const last = samples.at(-1);
  const seconds = (Date.now() - started) / 1000;
  return [
    {
      name:
        `RSS slope over a ${HOURS} h game day after ${WARMUP_HOURS} h warm-up ` +
        `(100 ms tick, 4 experiments; RSS ${bare.rss.toFixed(0)} MB before the server, ` +
        `${samples[0]?.rss.toFixed(0)} at 0 h, ${first?.rss.toFixed(0)} after warm-up, ` +
        `${last?.rss.toFixed(0)} at the end)`,
      unit: 'MB/h',
      median: rssSlope,
      p99: rssSlope,
      budget: BUDGET_MB_PER_HOUR,
      pass: rssSlope <= BUDGET_MB_PER_HOUR,
      runs: after.length,
    },
    ...(['anon', 'file', 'external'] as const).map((part) => {
      const partSlope = slope(after.map((s) => ({ x: s.hour, y: s[part] })));
      const what = {
        anon: 'anonymous RSS (heap, buffers, native allocations)',
        file: 'file-backed and shared RSS (code, SQLite WAL index)',
        external: 'external memory (Buffers, ring buffers outside the heap)',
      }[part];
      return {
        name: `${what} slope, same day (${first?.[part].toFixed(0)} → ${last?.[part].toFixed(0)} MB)`,
        unit: 'MB/h',
        median: partSlope,
        p99: partSlope,
        budget: null,
        pass: true,
        runs: after.length,
      };
    }),
    {
      name: `heap slope, same day (heap ${first?.heap.toFixed(0)} → ${last?.heap.toFixed(0)} MB; ${seconds.toFixed(0)} s of wall time)`,
      unit: 'MB/h',
      median: heapSlope,
      p99: heapSlope,
      budget: null,
      pass: true,
      runs: after.length,
    },
  ];
}
