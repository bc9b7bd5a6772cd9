import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { systemClock } from '../../mock-server/clock';
import type { TickReport } from '../../mock-server/engine/engine-api';
import type { Experiment, ExperimentSpecInput } from '../../src/domain';
import { startExporter, type RunningExporter } from './metrics-exporter';
import { prometheusInstalled, startPrometheus, type RunningPrometheus } from './real-prometheus';
import { canarySpec, createRollout } from './rollouts-fixtures';
import { fivexxOnOneHostSpec, testServer, type TestServer } from './test-server';

// A real Prometheus (Debian's binary) scrapes three instances of a service instrumented with
// prom-client every second; Faultline reads staging from it through the backends file.
const installed = prometheusInstalled('the Prometheus metrics source tests');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it answers (at most `tries` times, every 250 ms). */
async function eventually<T>(read: () => T | undefined | Promise<T | undefined>, tries = 120) {
  for (let attempt = 0; attempt < tries; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await sleep(250);
  }
  throw new Error('gave up waiting');
}

function backends(
  url: string,
  metrics: Record<string, unknown> = {},
  instances: readonly { target: string }[] = exporter.instances,
  labels: (index: number) => Record<string, string> = () => ({}),
) {
  return parseBackendsConfig({
    environments: {
      staging: {
        metrics: { url, ...metrics },
        fleet: {
          services: [{ name: 'shop', description: 'checkout of the shop' }],
          instances: instances.map((instance, index) => ({
            id: `shop-${index + 1}`,
            service: 'shop',
            metricsInstance: instance.target,
            labels: { zone: `z${index}`, ...labels(index) },
          })),
        },
      },
    },
  });
}

/** One host of the shop, until 5xx pass 5 % on it. */
const fivexxSpec = (overrides: Partial<ExperimentSpecInput> = {}) =>
  fivexxOnOneHostSpec('shop', {}, overrides);

/**
 * A loopback proxy in front of a real Prometheus that lists the requests it passes
 * ("POST /api/v1/query") and can hold range queries (chart histories) back.
 */
async function frontOf(target: string, options: { rangeDelayMs?: number } = {}) {
  const held = new Set<ServerResponse>();
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    held.add(res);
    res.once('close', () => held.delete(res));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0];
      requests.push(`${req.method} ${path}`);
      const pass = () =>
        void fetch(`${target}${req.url ?? '/'}`, {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'text/plain' },
          ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
        })
          .then(async (answer) => {
            res.writeHead(answer.status, { 'content-type': 'application/json' });
            res.end(await answer.text());
          })
          .catch(() => res.destroy());
      if (path === '/api/v1/query_range' && options.rangeDelayMs)
        setTimeout(pass, options.rangeDelayMs);
      else pass();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const res of held) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let exporter: RunningExporter;
let prometheus: RunningPrometheus;

describe.skipIf(!installed)('staging read from a real Prometheus', { timeout: 90_000 }, () => {
  let server: TestServer | undefined;

  beforeAll(async () => {
    exporter = await startExporter(3);
    prometheus = await startPrometheus([
      {
        targets: exporter.instances.map((i) => i.target),
        labels: { service: 'shop', environment: 'staging' },
      },
    ]);
    await prometheus.ready();
    await everyInstanceServing();
  });

  /** Until Prometheus sees requests on every instance (rate() needs two scrapes of them). */
  async function everyInstanceServing() {
    await eventually(async () => {
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent('count(rate(http_requests_total{service="shop"}[5s]) > 0)')}`,
      );
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? 0) >= 3 ? true : undefined;
    });
  }

  /** Until Prometheus's rate window holds no 5xx of the shop any more. */
  async function noFivexxLeft() {
    await eventually(async () => {
      const query = 'sum(rate(http_requests_total{service="shop",code=~"5.."}[5s]))';
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`,
      );
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      return Number(body.data.result[0]?.value[1] ?? 0) === 0 ? true : undefined;
    });
  }

  afterEach(async () => {
    await server?.app.close();
    server = undefined;
    for (const instance of exporter.instances) {
      instance.failShare = 0;
      instance.requestsPerSecond = 200;
    }
  });

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  async function serverOn(url: string, metrics: Record<string, unknown> = {}) {
    server = await testServer({
      clock: systemClock,
      config: { backends: backends(url, metrics) },
    });
    return server;
  }

  async function create(s: TestServer, spec: ExperimentSpecInput): Promise<Experiment> {
    const response = await s.call('POST', '/api/v1/experiments', { body: spec });
    expect(response.statusCode).toBe(201);
    return response.json();
  }

  async function start(s: TestServer, experiment: Experiment) {
    return s.call('POST', `/api/v1/experiments/${experiment.id}/start`, {
      body: { version: experiment.version },
    });
  }

  /** Resolves with the tick that ended `id`, at most 60 s on. */
  function ended(s: TestServer, id: string): Promise<TickReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${id} did not end within 60 s`)), 60_000);
      const stop = s.engine.onTick((report) => {
        if (!report.aborted.some((a) => a.experiment.id === id)) return;
        clearTimeout(timer);
        stop();
        resolve(report);
      });
    });
  }

  it('lists the configured instances in staging and serves the service history from Prometheus', async () => {
    const s = await serverOn(prometheus.url);
    const fleet = (await s.call('GET', '/api/v1/fleet')).json() as {
      instances: { id: string; environment: string; service: string }[];
    };
    // The shop's instances; staging's own flag service (faultline-flags) is measured in-process.
    const shop = fleet.instances.filter((i) => i.environment === 'staging' && i.service === 'shop');
    expect(shop.map((i) => i.id)).toEqual(['shop-1', 'shop-2', 'shop-3']);
    // A point for each second Prometheus has scraped (rate() needs two scrapes to start).
    const samples = await eventually(async () => {
      const history = await s.call(
        'GET',
        `/api/v1/metrics?service=shop&environment=staging&since=${Date.now() - 20_000}`,
      );
      expect(history.statusCode).toBe(200);
      const found = (history.json() as { samples: { values: { request_rate: number } }[] }).samples;
      // 3 instances at 200 requests/s each: the whole service's rate, more than one instance's
      // (a busy machine lets the exporter fall short of 600, never to one instance's 200).
      return found.length >= 3 && (found.at(-1)?.values.request_rate ?? 0) > 300
        ? found
        : undefined;
    });
    expect(samples.every((x) => Number.isFinite(x.values.request_rate))).toBe(true);
  });

  it('aborts when the 5xx rate of the target rises, and reads target against control', async () => {
    const s = await serverOn(prometheus.url);
    const draft = await create(s, fivexxSpec());
    const started = await start(s, draft);
    expect(started.statusCode, started.body).toBe(200);
    const running = started.json() as Experiment;
    const targetId = running.run?.targets[0];
    const targetIndex = Number(targetId?.replace('shop-', '')) - 1;
    const samples: TickReport['samples'] = [];
    const stopListening = s.engine.onTick((report) => samples.push(...report.samples));

    // Healthy for a few evaluations: nothing trips.
    await eventually(() =>
      samples.filter((x) => x.group === 'control' && x.experimentId === draft.id).length >= 2
        ? true
        : undefined,
    );
    expect(s.experiment(draft.id).state).toBe('running');

    const aborted = ended(s, draft.id);
    const target = exporter.instances[targetIndex];
    if (!target) throw new Error(`no instance for ${targetId}`);
    target.failShare = 0.3;
    const report = await aborted;
    stopListening();

    const outcome = s.experiment(draft.id).run?.outcome;
    expect(outcome).toMatchObject({ kind: 'aborted', conditionIndex: 0 });
    expect(outcome?.kind === 'aborted' && outcome.noMetrics).toBeFalsy();
    const mine = report.samples.filter((x) => x.experimentId === draft.id);
    const targetSample = mine.find((x) => x.group === 'target');
    const controlSample = mine.find((x) => x.group === 'control');
    expect(targetSample?.values.http_5xx_rate).toBeGreaterThan(5);
    // Control is the other two instances: they stay clean.
    expect(controlSample?.values.http_5xx_rate).toBe(0);
    expect(controlSample?.values.request_rate).toBeGreaterThan(
      targetSample?.values.request_rate ?? 0,
    );
  });

  it('leaves a canary that routes traffic out of the control, so its 5xx are not the baseline', async () => {
    // shop-3 runs the canary; the experiment strikes one stable host and is compared with the other.
    server = await testServer({
      clock: systemClock,
      config: {
        backends: backends(prometheus.url, {}, exporter.instances, (index) => ({
          version: index === 2 ? 'canary' : 'stable',
        })),
      },
    });
    const s = server;
    const rollout = await createRollout(
      s,
      canarySpec({
        service: 'shop',
        steps: [
          { weight: 25, waitSeconds: 600 },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    // Paused, so its own analysis does not roll it back (and halt the experiment) first.
    const paused = await s.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, { body: {} });
    expect(paused.statusCode, paused.body).toBe(200);
    // A 5xx rate an earlier test left in Prometheus's rate window would abort the run at once.
    await noFivexxLeft();
    const draft = await create(
      s,
      fivexxSpec({
        blastRadius: {
          scope: 'hosts',
          selector: { version: 'stable' },
          mode: 'count',
          value: 1,
          source: { kind: 'selector' },
        },
      }),
    );
    const started = await start(s, draft);
    expect(started.statusCode, started.body).toBe(200);
    const canary = exporter.instances[2];
    if (!canary) throw new Error('no third instance');
    canary.failShare = 0.3;
    const samples: TickReport['samples'] = [];
    const stopListening = s.engine.onTick((report) => samples.push(...report.samples));
    try {
      // Until Prometheus shows the canary failing, then the control read in the same evaluation.
      const control = await eventually(() => {
        if (s.experiment(draft.id).state !== 'running')
          throw new Error(`the experiment is ${s.experiment(draft.id).state}`);
        const failing = samples.findLast(
          (x) => x.service === 'shop' && x.version === 'canary' && x.values.http_5xx_rate > 5,
        );
        if (!failing) return undefined;
        return samples.find(
          (x) => x.t === failing.t && x.group === 'control' && x.experimentId === draft.id,
        );
      });
      expect(s.experiment(draft.id).state).toBe('running');
      expect(control.values.http_5xx_rate).toBe(0);
      expect(control.values.request_rate).toBeGreaterThan(0);
    } finally {
      stopListening();
    }
  });

  it('refuses a start when the steady state already breaks a condition on real data', async () => {
    const s = await serverOn(prometheus.url);
    for (const instance of exporter.instances) instance.failShare = 0.2;
    // The 2 s window must lie wholly where a 5 s rate of 20 % failures reads over 5 %: more than
    // 1.25 s of failures in it, after a scrape (1 s) and the one before it. 3 s was too short
    // when the scrapes fell late.
    await sleep(6000);
    const draft = await create(
      s,
      fivexxSpec({
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'http_5xx_rate',
            comparator: '>',
            threshold: 5,
            windowSeconds: 2,
            scope: 'service',
          },
        ],
      }),
    );
    const refused = await start(s, draft);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.message).toMatch(
      /^steady-state check failed: "5xx rate \(whole service\) > 5 % for 2 s" already holds/,
    );
    expect(s.experiment(draft.id).state).toBe('draft');
  });

  it('refuses a start whose steady state cannot be read, saying why', async () => {
    const s = await serverOn(prometheus.url, {
      queries: { http_5xx_rate: 'sum(rate(no_such_metric_total{{{instances}}}[5s]))' },
    });
    const draft = await create(s, fivexxSpec());
    const refused = await start(s, draft);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'start_refused',
      details: { noMetrics: true },
    });
    expect(refused.json().error.message).toContain('no metrics');
    expect(refused.json().error.message).toContain('no series');
  });

  it('never takes an idle group (no request to divide by) for a healthy one', async () => {
    const s = await serverOn(prometheus.url);
    for (const instance of exporter.instances) instance.requestsPerSecond = 0;
    const report = await eventually(async () => {
      const tick = await s.engine.tick();
      const gap = tick.gaps.find((g) => g.service === 'shop' && g.group === 'all');
      return gap && gap.metrics.includes('http_5xx_rate') ? tick : undefined;
    }, 80);
    const gap = report.gaps.find((g) => g.service === 'shop');
    expect(gap?.reason).toMatch(/NaN/);
    expect(
      report.samples.filter((x) => x.environment === 'staging' && x.service === 'shop'),
    ).toEqual([]);
  });
  it('reads the conditions on time while chart histories crowd a slow Prometheus', async () => {
    // A test before may have left the shop idle: an idle group is a gap, not this test's point.
    await everyInstanceServing();
    // In front of the real Prometheus: range queries (chart history) take 1.5 s, instant
    // queries (the evaluation) pass at once.
    const front = await frontOf(prometheus.url, { rangeDelayMs: 1_500 });
    const crowded = await testServer({
      clock: systemClock,
      ticking: false,
      config: { backends: backends(front.url) },
    });
    try {
      // Ten monitor pages opening at once: 70 range queries.
      const charts = Array.from({ length: 10 }, () =>
        crowded.call(
          'GET',
          `/api/v1/metrics?service=shop&environment=staging&since=${Date.now() - 60_000}`,
        ),
      );
      await sleep(50);
      const report = await crowded.engine.tick();
      // No gap at all: not the shop's, nor one for staging's own flag service, which
      // Prometheus does not scrape (it measures itself).
      expect(report.gaps).toEqual([]);
      expect(report.samples.some((x) => x.service === 'faultline-flags')).toBe(true);
      const shop = report.samples.find((x) => x.service === 'shop' && x.group === 'all');
      // A value read now (what it is depends on the tests before: not the point here).
      expect(Number.isFinite(shop?.values.request_rate)).toBe(true);
      await Promise.all(charts);
    } finally {
      await crowded.app.close();
      await front.close();
    }
  });

  it('reads every group of 21 experiments in one query per metric, a group without series alone a gap', async () => {
    await everyInstanceServing();
    const front = await frontOf(prometheus.url);
    // A fourth shop host Prometheus never scraped: its experiment's target has no series.
    const unscraped = { target: '127.0.0.1:1' };
    const s = await testServer({
      clock: systemClock,
      ticking: false,
      // A busy machine's slowness is not this test's point: the longest timeout the grace allows.
      config: {
        backends: backends(front.url, { queryTimeoutMs: 3_000 }, [
          ...exporter.instances,
          unscraped,
        ]),
      },
    });
    try {
      const onZone = (zone: number) =>
        fivexxSpec({
          blastRadius: {
            scope: 'hosts',
            selector: { zone: `z${zone}` },
            mode: 'all',
            source: { kind: 'selector' },
          },
        });
      const ids: string[] = [];
      for (let i = 0; i <= 20; i++) {
        const draft = await create(s, onZone(i === 20 ? 3 : i % 3));
        const started = await start(s, draft);
        expect(started.statusCode, started.body).toBe(200);
        ids.push(draft.id);
      }
      const blind = ids[20];
      front.requests.length = 0;
      const report = await s.engine.tick();
      const instant = front.requests.filter((r) => r === 'POST /api/v1/query');
      // 44 groups (two services, each experiment's target and control) read 10 distinct
      // expressions per metric (4 hosts: 4 targets, 4 controls): 70 queries one by one, 7 to 14
      // batched.
      const gaps = JSON.stringify(report.gaps);
      expect(instant.length, gaps).toBeGreaterThanOrEqual(7);
      expect(instant.length, gaps).toBeLessThanOrEqual(14);
      expect(front.requests).toEqual(instant);

      const shop = report.samples.filter((x) => x.service === 'shop');
      const read = (id: string | undefined, group: string) =>
        shop.find((x) => x.experimentId === id && x.group === group);
      // The unscraped host's target is a gap of its own, saying why; nothing else is missing.
      expect(report.gaps.filter((g) => g.service === 'shop')).toEqual([
        expect.objectContaining({
          experimentId: blind,
          group: 'target',
          reason: 'no series: Prometheus has no data for it',
        }),
      ]);
      expect(read(blind, 'target')).toBeUndefined();
      expect(read(blind, 'control')?.values.request_rate).toBeGreaterThan(0);
      for (const id of ids.slice(0, 20))
        for (const group of ['target', 'control'])
          expect(read(id, group)?.values.request_rate, `${id} ${group}`).toBeGreaterThan(0);
      // Each target read its own host: one host's requests, less than its control's two.
      const first = read(ids[0], 'target')?.values.request_rate ?? 0;
      expect(first).toBeLessThan(read(ids[0], 'control')?.values.request_rate ?? 0);
      expect(shop.find((x) => x.group === 'all')?.values.request_rate).toBeGreaterThan(first);
    } finally {
      await s.app.close();
      await front.close();
    }
  });

  it('asks each group alone when a template answers a scalar, which cannot be batched', async () => {
    await everyInstanceServing();
    const front = await frontOf(prometheus.url);
    const s = await testServer({
      clock: systemClock,
      ticking: false,
      config: {
        backends: backends(front.url, {
          queries: {
            request_rate:
              'scalar(sum(rate(http_requests_total{service="{{service}}",{{instances}}}[5s])))',
          },
        }),
      },
    });
    try {
      front.requests.length = 0;
      const report = await s.engine.tick();
      expect(report.gaps.filter((g) => g.service === 'shop')).toEqual([]);
      const whole = report.samples.find((x) => x.service === 'shop' && x.group === 'all');
      expect(whole?.values.request_rate).toBeGreaterThan(0);
      // Each whole service is a group (the shop, and staging's flag service the fleet lists).
      const fleet = (await s.call('GET', '/api/v1/fleet')).json() as {
        instances: { environment: string; service: string }[];
      };
      const groups = new Set(
        fleet.instances.filter((i) => i.environment === 'staging').map((i) => i.service),
      ).size;
      // Six metrics batched, request_rate's batch refused and then asked once per group.
      expect(front.requests).toEqual(
        Array.from({ length: 6 + 1 + groups }, () => 'POST /api/v1/query'),
      );
    } finally {
      await s.app.close();
      await front.close();
    }
  });
});

describe.skipIf(!installed)(
  'a Prometheus that stops answering mid-run',
  { timeout: 90_000 },
  () => {
    let own: RunningPrometheus | undefined;
    let server: TestServer | undefined;
    let ownExporter: RunningExporter | undefined;

    afterAll(async () => {
      await server?.app.close();
      await own?.stop();
      await ownExporter?.stop();
    });

    it('aborts the run with "no metrics" once the grace has passed, not before', async () => {
      ownExporter = await startExporter(2);
      own = await startPrometheus([
        {
          targets: ownExporter.instances.map((i) => i.target),
          labels: { service: 'shop', environment: 'staging' },
        },
      ]);
      await own.ready();
      server = await testServer({
        clock: systemClock,
        ticking: false,
        config: {
          backends: backends(own.url, { graceEvaluations: 3 }, ownExporter.instances),
        },
      });
      const s = server;
      // Until the service reads whole, so the start's steady state is real.
      await eventually(async () => {
        const tick = await s.engine.tick();
        return tick.samples.some((x) => x.service === 'shop') ? true : undefined;
      });
      await sleep(1000);
      const created = await s.call('POST', '/api/v1/experiments', { body: fivexxSpec() });
      const draft = created.json() as Experiment;
      const started = await s.call('POST', `/api/v1/experiments/${draft.id}/start`, {
        body: { version: draft.version },
      });
      expect(started.statusCode, started.body).toBe(200);

      await own.stop();
      // One evaluation a second, as the engine beats: the first unread one starts the grace.
      const unread: TickReport[] = [];
      for (let beat = 0; beat < 10 && s.experiment(draft.id).state === 'running'; beat++) {
        await sleep(1000);
        const report = await s.engine.tick();
        if (report.gaps.some((g) => g.experimentId === draft.id)) unread.push(report);
      }
      const experiment = s.experiment(draft.id);
      expect(experiment.state).toBe('aborted');
      // Unread at t0, t0+1 s, t0+2 s: still running; at t0+3 s (3 intervals of grace): aborted.
      expect(unread).toHaveLength(4);
      expect(unread.slice(0, 3).every((r) => r.aborted.length === 0)).toBe(true);
      const outcome = experiment.run?.outcome;
      expect(outcome?.kind).toBe('aborted');
      if (outcome?.kind !== 'aborted') return;
      expect(outcome.description).toMatch(/^no metrics: /);
      expect(outcome.noMetrics?.reason).toMatch(/cannot be reached/);
      const gap = unread[0]?.gaps.find((g) => g.experimentId === draft.id);
      expect(gap?.reason).toMatch(/^Prometheus at http:\/\/127\.0\.0\.1:\d+ cannot be reached/);

      // The charts' history says why in words, not as a stack trace.
      const history = await s.call('GET', '/api/v1/metrics?service=shop&environment=staging');
      expect(history.statusCode).toBe(503);
      expect(history.json().error).toMatchObject({ code: 'metrics_unavailable' });
      expect(history.json().error.message).toMatch(/^\w+: Prometheus at .* cannot be reached/);
    });

    it('keeps a run going past the grace when told to hold, and warns once', async () => {
      const holding = await startExporter(2);
      const prom = await startPrometheus([
        {
          targets: holding.instances.map((i) => i.target),
          labels: { service: 'shop', environment: 'staging' },
        },
      ]);
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const s = await testServer({
        clock: systemClock,
        ticking: false,
        config: {
          backends: backends(
            prom.url,
            {
              evaluationIntervalMs: 200,
              graceEvaluations: 2,
              queryTimeoutMs: 300,
              onMissing: 'hold',
            },
            holding.instances,
          ),
        },
      });
      try {
        await prom.ready();
        await eventually(async () => {
          const tick = await s.engine.tick();
          return tick.samples.some((x) => x.service === 'shop') ? true : undefined;
        });
        await sleep(1000);
        const draft = (
          await s.call('POST', '/api/v1/experiments', { body: fivexxSpec() })
        ).json() as Experiment;
        const started = await s.call('POST', `/api/v1/experiments/${draft.id}/start`, {
          body: { version: draft.version },
        });
        expect(started.statusCode, started.body).toBe(200);
        await prom.stop();
        let unread = 0;
        for (let beat = 0; beat < 8; beat++) {
          await sleep(250);
          const report = await s.engine.tick();
          if (report.gaps.some((g) => g.experimentId === draft.id)) unread++;
        }
        // Eight unread evaluations, four times the grace: still running, warned once.
        expect(unread).toBe(8);
        expect(s.experiment(draft.id).state).toBe('running');
        const warnings = warn.mock.calls.filter((call) =>
          String(call[0]).includes('keeps running although its conditions cannot be evaluated'),
        );
        expect(warnings).toHaveLength(1);
        expect(String(warnings[0]?.[0])).toContain('cannot be reached');
      } finally {
        warn.mockRestore();
        await s.app.close();
        await prom.stop();
        await holding.stop();
      }
    });

    it('counts a Prometheus slower than the query timeout as missing, saying so', async () => {
      // Accepts connections and never answers.
      const held: Socket[] = [];
      const silent = createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const slow = await testServer({
        clock: systemClock,
        ticking: false,
        config: {
          backends: backends(`http://127.0.0.1:${port}`, { queryTimeoutMs: 300 }, [
            { target: '127.0.0.1:1' },
          ]),
        },
      });
      try {
        const report = await slow.engine.tick();
        const gap = report.gaps.find((g) => g.service === 'shop' && g.group === 'all');
        expect(gap?.reason).toBe('Prometheus did not answer within 300 ms');
        expect(gap?.metrics).toHaveLength(7);
        expect(
          report.samples.filter((x) => x.environment === 'staging' && x.service === 'shop'),
        ).toEqual([]);
      } finally {
        await slow.app.close();
        for (const socket of held) socket.destroy();
        await new Promise((resolve) => silent.close(resolve));
      }
    });
  },
);
