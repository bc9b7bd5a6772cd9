import { afterEach, describe, expect, it } from 'vitest';
import type { ExperimentSpecInput, MetricSample } from '../../src/domain';
import { canarySpec, createRollout } from './rollouts-fixtures';
import {
  cpuOnEveryInstance,
  mildLatencySpec,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

describe("the judge's verdict on a chaos experiment", () => {
  it('is kept on the run when it ends: 300 ms on the target is a hypothesis that did not hold, with numbers', async () => {
    server = await testServer();
    const slow = await startExperiment(
      server,
      mildLatencySpec({ steps: [{ magnitude: 300, durationSeconds: 60 }] }),
    );
    const mild = await startExperiment(
      server,
      mildLatencySpec({
        name: 'Barely any latency',
        service: 'catalog',
        steps: [{ magnitude: 1, durationSeconds: 60 }],
      }),
    );
    server.advance(62);
    const ended = server.experiment(slow.id);
    expect(ended.state).toBe('completed');
    expect(ended.run?.verdict?.outcome).toBe('not-held');
    expect(ended.run?.verdict?.text).toMatch(
      /^The hypothesis did not hold: target p99 latency \d+ ms vs control \d+ ms, \+\d+ ms \[\d+, \d+\], p < 0\.001, \d+ samples each$/,
    );
    const calm = server.experiment(mild.id);
    expect(calm.run?.verdict?.outcome).toBe('held');
  });

  it('says the hypothesis did not hold when an abort condition ended the run, naming it', async () => {
    server = await testServer();
    server.advance(10);
    // CPU on every instance: the condition trips on CPU, which the judge never weighs.
    const started = await startExperiment(server, cpuOnEveryInstance(65));
    server.advance(30);
    const ended = server.experiment(started.id);
    expect(ended.state).toBe('aborted');
    expect(ended.run?.verdict).toMatchObject({
      outcome: 'not-held',
      abortedOn: 'CPU > 65 % for 5 s',
      text: expect.stringMatching(
        /^The hypothesis did not hold: the run aborted on "CPU > 65 % for 5 s"/,
      ),
    });
  });

  describe('while a defective canary serves part of the service', () => {
    /** A canary of checkout in staging at 25 %, its 5xx at 8 %, paused so it keeps serving. */
    async function defectiveCanary(running: TestServer): Promise<void> {
      const rollout = await createRollout(
        running,
        canarySpec({
          defect: { fivexxPercent: 8, addedLatencyMs: 0 },
          steps: [
            { weight: 25, waitSeconds: 600 },
            { weight: 100, waitSeconds: 0 },
          ],
        }),
      );
      const paused = await running.call('POST', `/api/v1/rollouts/${rollout.id}/pause`, {
        body: {},
      });
      expect(paused.statusCode, paused.body).toBe(200);
    }

    async function mean5xx(running: TestServer, query: string): Promise<number> {
      const response = await running.call(
        'GET',
        `/api/v1/metrics?service=checkout&environment=staging&${query}`,
      );
      const samples = (response.json() as { samples: MetricSample[] }).samples;
      expect(samples.length, query).toBeGreaterThan(20);
      return samples.reduce((sum, s) => sum + s.values.http_5xx_rate, 0) / samples.length;
    }

    const barelyAnyLatency = (blastRadius: ExperimentSpecInput['blastRadius']) =>
      mildLatencySpec({
        name: 'Barely any latency on checkout',
        service: 'checkout',
        environment: 'staging',
        blastRadius,
        steps: [{ magnitude: 1, durationSeconds: 600 }],
        abortConditions: [
          {
            kind: 'threshold',
            metric: 'http_5xx_rate',
            comparator: '>',
            threshold: 50,
            windowSeconds: 10,
            scope: 'target',
          },
        ],
      });

    it("leaves the canary out of the control of an experiment on a stable host: the control's 5xx stay at stable's", async () => {
      const running = await testServer();
      server = running;
      await defectiveCanary(running);
      const started = await startExperiment(
        running,
        barelyAnyLatency({
          scope: 'hosts',
          selector: { version: 'stable' },
          mode: 'count',
          value: 1,
          source: { kind: 'selector' },
        }),
      );
      running.advance(40);
      expect(running.experiment(started.id).state).toBe('running');
      const canary = await mean5xx(running, 'version=canary');
      const stable = await mean5xx(running, 'version=stable');
      const control = await mean5xx(running, `group=control&experimentId=${started.id}`);
      expect(canary).toBeGreaterThan(stable + 5);
      expect(Math.abs(control - stable)).toBeLessThan(0.5);
    });

    it('compares a blast radius inherited from the canary with stable alone', async () => {
      const running = await testServer();
      server = running;
      await defectiveCanary(running);
      // One canary container: the canary's others are neither target nor control.
      const started = await startExperiment(
        running,
        barelyAnyLatency({
          scope: 'containers',
          selector: {},
          mode: 'count',
          value: 1,
          source: { kind: 'canary' },
        }),
      );
      running.advance(40);
      const stable = await mean5xx(running, 'version=stable');
      const target = await mean5xx(running, `group=target&experimentId=${started.id}`);
      const control = await mean5xx(running, `group=control&experimentId=${started.id}`);
      expect(target).toBeGreaterThan(stable + 5);
      expect(Math.abs(control - stable)).toBeLessThan(0.5);
    });
  });
});
