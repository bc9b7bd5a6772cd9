import { afterEach, describe, expect, it } from 'vitest';
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
});
