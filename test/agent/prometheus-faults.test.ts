import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../../agent/agent';
import { loadAgentConfig } from '../../agent/config';
import {
  CPU_WITH_AGENT_STRESS,
  instanceMatcher,
  renderTemplate,
} from '../../mock-server/backends/prometheus/promql';
import {
  FLAG_SERVICE,
  flagEvaluationsSchema,
  type Experiment,
  type ExperimentSpecInput,
} from '../../src/domain';
import { freePort, prometheusInstalled } from '../mock-server/real-prometheus';
import { startShopFixture, type ShopFixture } from '../mock-server/shop-fixture';
import { cpuSpec, type TestServer } from '../mock-server/test-server';

// Real faults read back from a real Prometheus: one shop instance in staging behind the fault
// proxy of an agent (run in this process), one in production, both with simulated users'
// traffic and both reading new-checkout from Faultline over OFREP. Prometheus scrapes them every
// second; Faultline reads staging from it, so its abort conditions see what users saw.
const installed = prometheusInstalled('real faults read through Prometheus');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 500 ms until it answers a value (at most `limitMs`). */
async function until<T>(check: () => Promise<T | null>, limitMs: number): Promise<T | null> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) return null;
    await sleep(500);
  }
}

/** One fault on every target of `service` in staging for ten minutes, and one abort condition. */
function faultSpec(fault: {
  name: string;
  hypothesis: string;
  service: string;
  attack: 'error' | 'rate-limit' | 'cpu';
  magnitude: number;
  abortWhen: {
    metric: 'http_5xx_rate' | 'http_4xx_rate' | 'latency_p99';
    threshold: number;
    windowSeconds: number;
  };
}): ExperimentSpecInput {
  return cpuSpec({
    name: fault.name,
    hypothesis: fault.hypothesis,
    environment: 'staging',
    service: fault.service,
    blastRadius: { scope: 'hosts', selector: {}, mode: 'all', source: { kind: 'selector' } },
    attack: { type: fault.attack },
    steps: [{ magnitude: fault.magnitude, durationSeconds: 600 }],
    abortConditions: [{ kind: 'threshold', comparator: '>', scope: 'target', ...fault.abortWhen }],
  });
}

/** An abort condition that never holds: these experiments end by halt. */
const neverAborts = { metric: 'latency_p99', threshold: 600_000, windowSeconds: 10 } as const;

/** 30 % of shop-a1's requests answered 500 by the fault proxy; aborts on a 5xx rate above 10 %. */
const errorSpec = faultSpec({
  name: 'Errors on the real checkout',
  hypothesis: 'Users of checkout in staging notice nothing while one instance fails 30 %.',
  service: 'checkout',
  attack: 'error',
  magnitude: 30,
  abortWhen: { metric: 'http_5xx_rate', threshold: 10, windowSeconds: 0 },
});

/** 30 % of shop-a1's requests answered 429 by the fault proxy; aborts on a 4xx rate above 10 %. */
const rateLimitSpec = faultSpec({
  name: 'Rate limiting on the real checkout',
  hypothesis: 'Users of checkout in staging retry through a rate limit on one instance.',
  service: 'checkout',
  attack: 'rate-limit',
  magnitude: 30,
  abortWhen: { metric: 'http_4xx_rate', threshold: 10, windowSeconds: 0 },
});

/** A stress-ng worker at 100 % against shop-a1; nothing aborts it (it is halted). */
const cpuStressSpec = faultSpec({
  name: 'CPU pressure on the real checkout',
  hypothesis: 'Checkout in staging keeps answering while its host is under CPU pressure.',
  service: 'checkout',
  attack: 'cpu',
  magnitude: 100,
  abortWhen: neverAborts,
});

/** Every OFREP evaluation in staging answered with an error, for ten minutes. */
const ofrepErrorSpec = faultSpec({
  name: 'Flag service errors in staging',
  hypothesis: 'Checkout in staging serves its fallback value while its flag service fails.',
  service: FLAG_SERVICE,
  attack: 'error',
  magnitude: 100,
  abortWhen: neverAborts,
});

describe.skipIf(!installed)('real faults as Prometheus sees them', { timeout: 120_000 }, () => {
  let shop: ShopFixture;
  let server: TestServer;
  let agent: Awaited<ReturnType<typeof startAgent>> | null = null;
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-prometheus-faults-'));
  const agentLog: string[] = [];

  /** One number from Prometheus, now or at `at` (s); 0 when the query matches no series yet. */
  async function promNumber(query: string, at?: number): Promise<number> {
    return (await shop.query(query, at)) ?? 0;
  }

  /** Flag evaluations counted by a shop's OpenFeature hook, as Prometheus last scraped them. */
  async function evaluations(environment: string, reason: 'ERROR' | 'not ERROR') {
    const matcher = reason === 'ERROR' ? 'reason="ERROR"' : 'reason!="ERROR"';
    return promNumber(
      `sum(feature_flag_evaluations_total{flag="new-checkout",environment="${environment}",${matcher}})`,
    );
  }

  /** Starts `spec` once Prometheus has enough for the steady-state check (30 s at most). */
  async function start(spec: ExperimentSpecInput): Promise<Experiment> {
    const created = (await server.call('POST', '/api/v1/experiments', { body: spec })).json() as {
      id: string;
      version: number;
    };
    let refusal = '';
    const started = await until(async () => {
      const response = await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
        body: { version: created.version },
      });
      if (response.statusCode === 200) return response.json() as Experiment;
      refusal = response.body;
      return null;
    }, 30_000);
    expect(started, refusal).not.toBeNull();
    return started!;
  }

  beforeAll(async () => {
    const proxyPort = await freePort();
    // Faultline scraped too: its /metrics carries what the agent's stress-ng used against
    // shop-a1. The classic path everywhere: no 5xx of the shop's own, so every 5xx is the proxy's.
    shop = await startShopFixture({
      shops: [
        { id: 'shop-a1', upstreamPort: proxyPort },
        { id: 'shop-p1', environment: 'production' },
      ],
      // No instances: the agent brings shop-a1.
      fleetInstances: false,
      queries: { cpu: CPU_WITH_AGENT_STRESS },
      scrapeFaultline: true,
    });
    server = shop.server;

    const token = (
      await server.call('POST', '/api/v1/agent-tokens', { as: 'ada-admin', body: { name: 'ci' } })
    ).json().token as string;
    const targets = path.join(folder, 'targets.json');
    writeFileSync(
      targets,
      JSON.stringify({
        targets: [
          {
            name: 'shop-a1',
            service: 'checkout',
            environment: 'staging',
            process: { pid: process.pid },
            http: { port: shop.shops[0]?.appPort, proxyPort },
          },
        ],
      }),
    );
    agent = await startAgent(
      {
        server: shop.faultlineUrl,
        token,
        config: targets,
        heartbeatTimeoutMs: 2_000,
        stressWorkers: 1,
      },
      await loadAgentConfig(targets),
      (line) => agentLog.push(line),
    );
    const online = await until(
      async () => (server.agents.hub.list().some((a) => a.online) ? true : null),
      20_000,
    );
    expect(online, agentLog.join('\n')).toBe(true);
    shop.startTraffic({ ratePerSecond: 40, maxRequests: 5_000 });
  }, 90_000);

  afterAll(async () => {
    await shop?.stopTraffic();
    await agent?.stop();
    await shop?.stop();
    rmSync(folder, { recursive: true, force: true });
  }, 30_000);

  it("shows the proxy's error share in shop-a1's 5xx rate, and the abort condition removes it", async () => {
    const served = 'sum(http_requests_total{instance="shop-a1"})';
    const failed = 'sum(http_requests_total{instance="shop-a1",code=~"5.."}) or vector(0)';
    expect(await until(async () => ((await promNumber(served)) > 20 ? true : null), 30_000)).toBe(
      true,
    );
    expect(await promNumber(failed)).toBe(0);

    const running = await start(errorSpec);
    expect(running.run?.targets).toEqual(['shop-a1']);
    const before = { failed: await promNumber(failed) };
    const ended = await until(async () => {
      const experiment = server.experiment(running.id);
      return experiment.state === 'running' ? null : experiment;
    }, 60_000);
    expect(ended?.run?.outcome, agentLog.join('\n')).toMatchObject({
      kind: 'aborted',
      conditionIndex: 0,
    });
    const outcome = ended?.run?.outcome;
    if (outcome?.kind !== 'aborted') return;
    expect(outcome.noMetrics).toBeUndefined();
    expect(outcome.latest).toBeGreaterThan(10);

    // The 5xx users got while the fault held, as Prometheus counted them at the edge.
    expect((await promNumber(failed)) - before.failed).toBeGreaterThan(0);
    // The agent says it removed the fault (its answer follows the abort by a moment).
    const removed = await until(
      async () => (server.agents.hub.list()[0]?.faults.length === 0 ? true : null),
      10_000,
    );
    expect(removed).toBe(true);

    // Removed: requests keep being counted, and none of them fails any more.
    const quiet = await until(async () => {
      const [all, fivexx] = await Promise.all([
        promNumber('sum(increase(http_requests_total{instance="shop-a1"}[4s]))'),
        promNumber(
          'sum(increase(http_requests_total{instance="shop-a1",code=~"5.."}[4s])) or vector(0)',
        ),
      ]);
      return all > 0 && fivexx === 0 ? true : null;
    }, 20_000);
    expect(quiet).toBe(true);
  });

  it("answers about the share asked 429, counted at shop-a1's edge as 4xx not 5xx, until the abort", async () => {
    const count = (code: string) =>
      promNumber(`sum(http_requests_total{instance="shop-a1",code=~"${code}"}) or vector(0)`);
    const before = {
      all: await count('.*'),
      limited: await count('429'),
      fivexx: await count('5..'),
    };

    const running = await start(rateLimitSpec);
    expect(running.run?.targets).toEqual(['shop-a1']);
    const ended = await until(async () => {
      const experiment = server.experiment(running.id);
      return experiment.state === 'running' ? null : experiment;
    }, 60_000);
    expect(ended?.run?.outcome, agentLog.join('\n')).toMatchObject({
      kind: 'aborted',
      conditionIndex: 0,
    });
    const removed = await until(
      async () => (server.agents.hub.list()[0]?.faults.length === 0 ? true : null),
      10_000,
    );
    expect(removed).toBe(true);
    // Two scrapes later Prometheus holds everything the fault answered.
    await sleep(2_500);

    const limited = (await count('429')) - before.limited;
    const all = (await count('.*')) - before.all;
    expect(limited).toBeGreaterThan(0);
    // The share is drawn per request: about 30 % of what was answered while the fault held. The
    // count runs a little past the fault (the abort, the removal, the scrapes), so the share of
    // everything counted since the start is somewhat under 30 %, never over it by much.
    const share = (limited / all) * 100;
    expect(share).toBeLessThan(45);
    expect(share).toBeGreaterThan(5);
    expect((await count('5..')) - before.fivexx).toBe(0);
  });

  it("turns staging's evaluations to the fallback value (reason ERROR) while production's stay right", async () => {
    const seen = await until(
      async () =>
        (await evaluations('staging', 'not ERROR')) > 0 &&
        (await evaluations('production', 'not ERROR')) > 0
          ? true
          : null,
      30_000,
    );
    expect(seen).toBe(true);
    const production = {
      right: await evaluations('production', 'not ERROR'),
      errors: await evaluations('production', 'ERROR'),
    };
    const stagingErrors = await evaluations('staging', 'ERROR');

    const running = await start(ofrepErrorSpec);
    expect(running.run?.targets).toEqual(['ofrep-staging']);
    // Once a scrape holds failed evaluations, the next ones hold nothing else.
    const failing = await until(
      async () => ((await evaluations('staging', 'ERROR')) > stagingErrors + 10 ? true : null),
      30_000,
    );
    expect(failing).toBe(true);
    // What the monitor charts: staging's evaluations per second, read from Prometheus through
    // the route, all fallback (reason ERROR) now, asked by service and by the flag service alike.
    for (const service of ['checkout', FLAG_SERVICE]) {
      let last = '';
      const fallbackOnly = await until(async () => {
        const answer = await server.call(
          'GET',
          `/api/v1/flag-evaluations?environment=staging&service=${service}&since=${Date.now() - 60_000}`,
        );
        last = answer.body;
        const { series } = flagEvaluationsSchema.parse(answer.json());
        const newest = (s: (typeof series)[number]) => s.points.at(-1)?.perSecond ?? 0;
        const fallback = series.find(
          (s) => s.flag === 'new-checkout' && s.variant === 'fallback' && s.reason === 'ERROR',
        );
        const others = series.filter((s) => s !== fallback);
        return fallback && newest(fallback) > 0 && others.every((s) => newest(s) === 0)
          ? true
          : null;
      }, 20_000);
      expect(fallbackOnly, last).toBe(true);
    }
    const stagingRight = await evaluations('staging', 'not ERROR');
    const fallbacks = await promNumber(
      'sum(feature_flag_evaluations_total{environment="staging",variant="fallback",reason="ERROR"})',
    );
    await sleep(3_000);
    expect(await evaluations('staging', 'not ERROR')).toBe(stagingRight);
    expect(
      await promNumber(
        'sum(feature_flag_evaluations_total{environment="staging",variant="fallback",reason="ERROR"})',
      ),
    ).toBeGreaterThan(fallbacks);
    // Production's flag service is untouched: its evaluations go on, none of them an error.
    expect(await evaluations('production', 'not ERROR')).toBeGreaterThan(production.right);
    expect(await evaluations('production', 'ERROR')).toBe(production.errors);

    const halted = await server.call('POST', `/api/v1/experiments/${running.id}/halt`, {
      body: {},
    });
    expect(halted.statusCode).toBe(200);
    const back = await until(
      async () => ((await evaluations('staging', 'not ERROR')) > stagingRight ? true : null),
      20_000,
    );
    expect(back).toBe(true);
  });
  it("raises shop-a1's CPU as Prometheus reads it by what the agent's stress-ng burns, until halt", async () => {
    /** One CPU query at one instant, for shop-a1 only, with Faultline's 5 s rate window. */
    const cpuAt = async (template: string, at: number) => {
      const query = renderTemplate(template, {
        service: 'checkout',
        environment: 'staging',
        instances: instanceMatcher('instance', { kind: 'only', instances: ['shop-a1'] }),
        range: '5s',
        memory_limit_bytes: '1',
      });
      return (await shop.query(query, at)) ?? Number.NaN;
    };
    const processOnly =
      '100 * avg(rate(process_cpu_seconds_total{service="{{service}}",environment="{{environment}}",{{instances}}}[{{range}}]))';
    const stressed = 'rate(faultline_agent_stress_cpu_seconds_total{instance="shop-a1"}[5s])';

    // Before: shop-a1's CPU is its process's own, and the agent's stress counter stands at 0.
    const ready = await until(
      async () => (Number.isFinite(await cpuAt(processOnly, Date.now() / 1000 - 2)) ? true : null),
      30_000,
    );
    expect(ready).toBe(true);
    const calm = Date.now() / 1000 - 2;
    expect(await cpuAt(CPU_WITH_AGENT_STRESS, calm)).toBeCloseTo(await cpuAt(processOnly, calm), 6);
    expect(await promNumber('faultline_agent_stress_cpu_seconds_total{instance="shop-a1"}')).toBe(
      0,
    );

    const running = await start(cpuStressSpec);
    expect(running.run?.targets).toEqual(['shop-a1']);
    const burning = await until(
      async () => ((await promNumber(stressed)) > 0 ? true : null),
      30_000,
    );
    expect(burning, agentLog.join('\n')).toBe(true);
    // Let a full rate window pass under stress, then read both at one instant: the difference
    // is the stress-ng's CPU, charged to shop-a1. At least a few % of a core even on a busy host.
    await sleep(5_000);
    // An instant 2 s back: every scrape up to it is stored, so both queries see the same data.
    const hot = Date.now() / 1000 - 2;
    const withStress = await cpuAt(CPU_WITH_AGENT_STRESS, hot);
    const own = await cpuAt(processOnly, hot);
    expect(withStress - own).toBeCloseTo(100 * (await promNumber(stressed, hot)), 6);
    expect(withStress - own).toBeGreaterThan(2);
    // Faultline reads the same: its CPU sample of the blast radius includes the stress.
    const sample = server.engine
      .latestSamples()
      .find((s) => s.service === 'checkout' && s.environment === 'staging' && s.group === 'target');
    expect(sample?.values.cpu).toBeGreaterThan(0);

    const halted = await server.call('POST', `/api/v1/experiments/${running.id}/halt`, {
      body: {},
    });
    expect(halted.statusCode).toBe(200);
    const removed = await until(
      async () => (server.agents.hub.list()[0]?.faults.length === 0 ? true : null),
      10_000,
    );
    expect(removed).toBe(true);
    // Gone: the counter stops growing once the stress-ng has exited.
    const cooled = await until(
      async () =>
        (await promNumber(
          'increase(faultline_agent_stress_cpu_seconds_total{instance="shop-a1"}[3s])',
        )) === 0
          ? true
          : null,
      20_000,
    );
    expect(cooled).toBe(true);
  });
});
