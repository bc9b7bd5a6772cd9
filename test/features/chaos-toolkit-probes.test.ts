import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  METRICS,
  experimentSpecSchema,
  type AbortCondition,
  type ExperimentSpec,
  type MetricSample,
  type Metric,
} from '../../src/domain';
import { chaosToolkitExperiment } from '../../src/features/experiments/export/chaos-toolkit';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import {
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from '../mock-server/real-prometheus';
import { loadConfiguration, probeMet, type Probe } from './chaos-toolkit-runner';

const installed = prometheusInstalled('the Chaos Toolkit probe tests');

// Each exported probe is run as Chaos Toolkit runs it, against a real Prometheus that scrapes
// a running Faultline server every second.
const SCRAPE_SECONDS = 1;

// The conditions go in as they are: some cases use thresholds no form would accept (a negative rise).
const spec = ({ abortConditions, ...overrides }: Partial<ExperimentSpec>): ExperimentSpec => ({
  ...experimentSpecSchema.parse({
    name: 'Latency on payments',
    hypothesis: 'Payments absorbs 50 ms more latency.',
    notes: '',
    environment: 'development',
    service: 'payments',
    blastRadius: { scope: 'containers', selector: {}, mode: 'percent', value: 50 },
    attack: { type: 'latency' },
    steps: [{ magnitude: 50, durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 90,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
    ...overrides,
  }),
  ...(abortConditions && { abortConditions }),
});

/** Asks again (at most 40 times, every 500 ms) until the probe's verdict is `wanted`. */
async function eventually(probe: Probe, config: Record<string, unknown>, wanted: boolean) {
  for (let attempt = 0; attempt < 40; attempt++) {
    if ((await probeMet(probe, config)) === wanted) return wanted;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return !wanted;
}

describe.skipIf(!installed)(
  'exported Chaos Toolkit probes against a real Prometheus scraping Faultline',
  { timeout: 180_000 },
  () => {
    let server: FaultlineApp;
    let prometheus: RunningPrometheus;
    let headers: Record<string, string>;

    async function startExperiment(design: ExperimentSpec): Promise<string> {
      const created = await server.app.inject({
        method: 'POST',
        url: '/api/v1/experiments',
        headers,
        payload: design,
      });
      expect(created.statusCode, created.body).toBe(201);
      const { id, version } = created.json() as { id: string; version: number };
      const started = await server.app.inject({
        method: 'POST',
        url: `/api/v1/experiments/${id}/start`,
        headers,
        payload: { version },
      });
      expect(started.statusCode, started.body).toBe(200);
      return id;
    }

    beforeAll(async () => {
      server = await buildApp({ database: ':memory:', sampleData: false, config: { tickMs: 100 } });
      const base = await server.app.listen({ host: '127.0.0.1', port: 0 });
      prometheus = await startPrometheus(new URL(base).host);
      const session = await server.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { user: 'sam-sre' },
      });
      headers = { authorization: `Bearer ${(session.json() as { token: string }).token}` };
    });

    afterAll(async () => {
      await prometheus?.stop();
      await server?.app.close();
    });

    function probesOf(design: ExperimentSpec, experimentId?: string) {
      const experiment = chaosToolkitExperiment(design, {
        experimentId,
        scrapeIntervalSeconds: SCRAPE_SECONDS,
      }) as {
        configuration: Record<string, unknown>;
        'steady-state-hypothesis': { probes: Probe[] };
      };
      const config = loadConfiguration(experiment.configuration, {
        PROMETHEUS_URL: prometheus.url,
      });
      return { probes: experiment['steady-state-hypothesis'].probes, config };
    }

    it('passes every probe on a healthy service and fails each one whose condition holds', async () => {
      const id = await startExperiment(spec({}));
      const latest = (scope: 'target' | 'service'): MetricSample | undefined =>
        server.simulation
          .latest()
          .find(
            (s) =>
              s.service === 'payments' &&
              s.environment === 'development' &&
              (scope === 'target'
                ? s.group === 'target' && s.experimentId === id
                : s.group === 'all' && !s.cohort),
          );
      for (let attempt = 0; attempt < 50 && !latest('target'); attempt++)
        await new Promise((resolve) => setTimeout(resolve, 100));

      // For each metric and scope, conditions that do not hold now (steady) and that do (breached),
      // with thresholds either side of the value the series has.
      const cases: { condition: AbortCondition; holds: boolean }[] = [];
      for (const scope of ['target', 'service'] as const)
        for (const metric of METRICS as readonly Metric[]) {
          const value = latest(scope)?.values[metric] ?? 0;
          const above = 2 * value + 1;
          const below = value / 2;
          const threshold = (comparator: '>' | '>=' | '<' | '<=', t: number, windowSeconds = 3) =>
            ({
              kind: 'threshold',
              metric,
              comparator,
              threshold: t,
              windowSeconds,
              scope,
            }) as const;
          cases.push(
            { condition: threshold('>', above), holds: false },
            { condition: threshold('>=', below), holds: true },
            { condition: threshold('<', below), holds: false },
            { condition: threshold('<=', above), holds: true },
            { condition: threshold('>', above, 0), holds: false },
            { condition: threshold('>=', below, 0), holds: true },
            {
              condition: { kind: 'rising', metric, delta: above, windowSeconds: 3, scope },
              holds: false,
            },
            {
              condition: { kind: 'rising', metric, delta: -above, windowSeconds: 3, scope },
              holds: true,
            },
          );
        }
      const { probes, config } = probesOf(
        spec({ abortConditions: cases.map((c) => c.condition) }),
        id,
      );
      expect(probes).toHaveLength(cases.length);

      const wrong: string[] = [];
      for (const [i, probe] of probes.entries()) {
        const holds = cases[i]?.holds ?? false;
        // Tolerance met = steady state = the condition does not hold.
        if ((await eventually(probe, config, !holds)) !== !holds)
          wrong.push(
            `${probe.name}: ${holds ? 'met its tolerance' : 'failed'} (${JSON.stringify(probe.provider.arguments)})`,
          );
      }
      expect(wrong).toEqual([]);
    });

    it('fails the target probe of the experiment that breaks its target, not the other’s or the service’s', async () => {
      const calm = await startExperiment(
        spec({
          service: 'search',
          name: 'Calm latency on search',
          blastRadius: {
            scope: 'containers',
            selector: { zone: 'a' },
            mode: 'all',
            source: { kind: 'selector' },
          },
        }),
      );
      const broken = await startExperiment(
        spec({
          service: 'search',
          name: 'Errors on search',
          // Apart from the calm experiment's containers, so only this target is hurt.
          blastRadius: {
            scope: 'containers',
            selector: { zone: 'b' },
            mode: 'all',
            source: { kind: 'selector' },
          },
          attack: { type: 'error' },
          steps: [{ magnitude: 60, durationSeconds: 600 }],
        }),
      );
      const fivexx = (scope: 'target' | 'service', threshold: number): AbortCondition => ({
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold,
        windowSeconds: 3,
        scope,
      });
      const design = (conditions: AbortCondition[]) =>
        spec({ service: 'search', abortConditions: conditions });

      const brokenRun = probesOf(design([fivexx('target', 20)]), broken);
      expect(await eventually(brokenRun.probes[0] as Probe, brokenRun.config, false)).toBe(false);

      const calmRun = probesOf(design([fivexx('target', 20)]), calm);
      expect(await eventually(calmRun.probes[0] as Probe, calmRun.config, true)).toBe(true);

      // The whole service: all its containers, neither cohort nor experiment picked at random.
      const whole = probesOf(design([fivexx('service', 90), fivexx('service', 1)]));
      expect(await eventually(whole.probes[0] as Probe, whole.config, true)).toBe(true);
      expect(await eventually(whole.probes[1] as Probe, whole.config, false)).toBe(false);
    });

    it('never takes missing data for health: a target probe of an unknown experiment fails', async () => {
      const { probes, config } = probesOf(spec({}), 'no-such-experiment');
      expect(await probeMet(probes[0] as Probe, config)).toBe(false);
    });

    it('asks for the experiment id when the design was exported before it was saved', () => {
      const experiment = chaosToolkitExperiment(spec({})) as {
        configuration: Record<string, unknown>;
      };
      expect(() => loadConfiguration(experiment.configuration, {})).toThrow(
        /FAULTLINE_EXPERIMENT_ID/,
      );
      expect(
        loadConfiguration(experiment.configuration, { FAULTLINE_EXPERIMENT_ID: 'e1' }),
      ).toMatchObject({
        faultline_experiment_id: 'e1',
      });
    });
  },
);
