import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend } from '@/backend/http/http-backend';
import { appendSamples } from '@/lib/live/live-metrics-store';
import { ConnectionIndicator } from '@/components/connection-indicator';
import { ENVIRONMENTS } from '@/domain/environments';
import type { Experiment } from '@/domain/experiment';
import type { MetricSample } from '@/domain/metrics';
import { buildFromTemplate } from '@/domain/templates';
import { ExperimentHeader } from '@/features/experiments/experiment-header';
import { LiveMonitor } from '@/features/monitor/live-monitor';
import { StatusBanner } from '@/features/monitor/status-banner';
import '@/index.css';

// The monitor page with an hour of live data, driven tick by tick from the benchmark.
const TICK_MS = 1000;
const HOUR_TICKS = 3600;
const SERVICES = ['checkout', 'payments', 'catalog', 'frontend', 'search'];
const start = Date.now() - HOUR_TICKS * TICK_MS;
const spec = buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'staging' });
const experiment: Experiment = {
  ...spec,
  // A ramp longer than the benchmark, so the run is still going at its end.
  steps: [
    { magnitude: 50, durationSeconds: 2400 },
    { magnitude: 60, durationSeconds: 7200 },
  ],
  id: 'bench',
  lineageId: 'bench',
  state: 'running',
  version: 2,
  createdAt: start,
  updatedAt: start,
  createdBy: 'sam-sre',
  run: {
    startedAt: start + 60_000,
    startedBy: 'sam-sre',
    targets: ['checkout-stg-h1-c1', 'checkout-stg-h2-c1'],
    matchingCount: 8,
    stepIndex: 0,
    endedAt: null,
    outcome: null,
  },
};

function wave(i: number, base: number, swing: number): number {
  return base + swing * Math.sin(i / 37) + (swing / 3) * Math.sin(i / 3.1);
}

function tick(i: number): { t: number; samples: MetricSample[] } {
  const t = start + i * TICK_MS;
  const values = (load: number) => ({
    cpu: wave(i, 30 + load, 8),
    memory: wave(i, 45, 3),
    error_rate: wave(i, 0.3 + load / 100, 0.1),
    http_4xx_rate: wave(i, 1.5, 0.2),
    http_5xx_rate: wave(i, 0.1 + load / 200, 0.05),
    latency_p99: wave(i, 150 + load * 4, 20),
    request_rate: wave(i, 120, 10),
  });
  const samples: MetricSample[] = [];
  for (const service of SERVICES) {
    for (const environment of ENVIRONMENTS)
      samples.push({ t, service, environment, group: 'all', values: values(0) });
  }
  samples.push({
    t,
    service: 'checkout',
    environment: 'staging',
    group: 'target',
    experimentId: 'bench',
    values: values(40),
  });
  samples.push({
    t,
    service: 'checkout',
    environment: 'staging',
    group: 'control',
    experimentId: 'bench',
    values: values(5),
  });
  return { t, samples };
}

for (let i = 0; i < HOUR_TICKS; i++) {
  const { t, samples } = tick(i);
  appendSamples(t, samples, t);
}

const backend = createHttpBackend({
  fetch: async (input) => {
    const body = input.startsWith('/api/v1/me')
      ? { user: { name: 'sam-sre', displayName: 'Sam (SRE)', role: 'sre' } }
      : { samples: [] };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  },
  baseUrl: '',
  getToken: () => 'bench',
});

let next = HOUR_TICKS;

interface BenchMeasurement {
  /** ms per update, from the sample's arrival to its layout */
  durations: number[];
  /** durations of the long tasks (> 50 ms) seen while updating, ms */
  longTasks: number[];
  charts: number;
  /** most points drawn in one line */
  maxPoints: number;
}

declare global {
  interface Window {
    benchMeasure: (options: {
      warmUp: number;
      updates: number;
      spacingMs: number;
    }) => Promise<BenchMeasurement>;
    benchReady: boolean;
  }
}

/** One live update: appends a tick and renders it synchronously, layout included. Returns ms. */
function update(): number {
  const { t, samples } = tick(next++);
  const began = performance.now();
  flushSync(() => appendSamples(t, samples, t));
  document.body.getBoundingClientRect();
  return performance.now() - began;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(null)));

window.benchMeasure = async ({ warmUp, updates, spacingMs }) => {
  for (let i = 0; i < warmUp; i++) {
    update();
    await pause(spacingMs);
  }
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) =>
    list.getEntries().forEach((e) => longTasks.push(e.duration)),
  );
  observer.observe({ type: 'longtask' });
  const durations: number[] = [];
  for (let i = 0; i < updates; i++) {
    await frame();
    durations.push(update());
    await pause(spacingMs);
  }
  await pause(200);
  observer.disconnect();
  const points = [...document.querySelectorAll('.live-line')].map(
    (p) => (p.getAttribute('d') ?? '').split(/[LM]/).length - 1,
  );
  return {
    durations,
    longTasks,
    charts: document.querySelectorAll('figure').length,
    maxPoints: Math.max(...points),
  };
};

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
createRoot(root).render(
  <StrictMode>
    <BackendProvider backend={backend}>
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <main className="mx-auto flex max-w-[120rem] flex-col gap-5 p-6">
            <ConnectionIndicator />
            <ExperimentHeader experiment={experiment} />
            <StatusBanner experiment={experiment} />
            <LiveMonitor experiment={experiment} />
          </main>
        </MemoryRouter>
      </QueryClientProvider>
    </BackendProvider>
  </StrictMode>,
);
window.benchReady = true;
