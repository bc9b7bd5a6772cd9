import { afterEach, describe, expect, it } from 'vitest';
import { chaosMeshExport } from '../../src/features/experiments/export/chaos-mesh';
import {
  cpuOnEveryInstance,
  createExperiment,
  startExperiment,
  testServer,
  type TestServer,
} from './test-server';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.app.close();
  server = null;
});

describe('GET /api/v1/experiments/:id/steady-state', () => {
  it('answers 200 while no abort condition holds on the service, with the samples it judged', async () => {
    server = await testServer();
    server.advance(10);
    const created = await createExperiment(server, cpuOnEveryInstance(99));
    const response = await server.call('GET', `/api/v1/experiments/${created.id}/steady-state`, {
      as: 'vic-viewer',
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json();
    expect(answer).toMatchObject({ holds: true, checkedAt: server.clock.now() });
    expect(answer.samples).toBeGreaterThan(0);
  });

  it('answers 503 steady_state_broken naming the condition and its value once one holds', async () => {
    server = await testServer();
    server.advance(10);
    const created = await createExperiment(server, cpuOnEveryInstance(10));
    const response = await server.call('GET', `/api/v1/experiments/${created.id}/steady-state`);
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: {
        code: 'steady_state_broken',
        message: expect.stringMatching(
          /^steady state broken: ".*CPU.*" holds now \(now [\d.]+ %\)$/i,
        ),
        details: { conditionIndex: 0, value: expect.any(Number) },
      },
    });
  });

  it('turns to 503 no later than the engine aborts the run on the same condition', async () => {
    server = await testServer();
    server.advance(10);
    // 50 % more CPU on every instance crosses a bar the service stays under at rest; with the
    // whole service as the blast radius, target and whole service are the same instances.
    const started = await startExperiment(server, cpuOnEveryInstance(65));
    const url = `/api/v1/experiments/${started.id}/steady-state`;
    expect((await server.call('GET', url)).statusCode).toBe(200);
    let brokenAt: number | null = null;
    for (
      let second = 1;
      second <= 30 && server.experiment(started.id).state === 'running';
      second++
    ) {
      server.advance(1);
      const answer = await server.call('GET', url);
      if (answer.statusCode === 503 && brokenAt === null) {
        expect(answer.json().error.code).toBe('steady_state_broken');
        brokenAt = second;
      }
    }
    const ended = server.experiment(started.id);
    expect(ended.state).toBe('aborted');
    expect(brokenAt).not.toBeNull();
    const abortedAfter = ((ended.run?.endedAt ?? 0) - (started.run?.startedAt ?? 0)) / 1000;
    expect(brokenAt).toBeLessThanOrEqual(abortedAfter);
  });

  it('answers 404 for an experiment that does not exist', async () => {
    server = await testServer();
    const missing = await server.call('GET', '/api/v1/experiments/nope/steady-state');
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a caller without a token', async () => {
    server = await testServer();
    const created = await createExperiment(server, cpuOnEveryInstance(99));
    const response = await server.call('GET', `/api/v1/experiments/${created.id}/steady-state`, {
      as: null,
    });
    expect(response.statusCode).toBe(401);
  });

  it('is what the exported Chaos Mesh StatusCheck asks: its own request passes while steady, fails once broken', async () => {
    const live = await testServer();
    server = live;
    live.advance(10);
    const faultlineUrl = await live.app.listen({ host: '127.0.0.1', port: 0 });
    const token = await live.tokenFor('vic-viewer');
    const outcomeOf = async (threshold: number) => {
      const created = await createExperiment(live, cpuOnEveryInstance(threshold));
      const { manifest } = chaosMeshExport(created, {
        abortCheck: { faultlineUrl, experimentId: created.id },
      });
      const templates = (manifest.spec as { templates: StatusCheckTemplate[] }).templates;
      const check = templates.find((t) => t.templateType === 'StatusCheck');
      if (!check) throw new Error('the export has no StatusCheck');
      return executeOnce(check, token);
    };
    expect(await outcomeOf(99)).toBe('Success');
    expect(await outcomeOf(10)).toBe('Failure');
  });
});

interface StatusCheckTemplate {
  templateType: string;
  statusCheck: {
    timeoutSeconds: number;
    http: {
      url: string;
      method: string;
      headers: Record<string, string[]>;
      criteria: { statusCode: string };
    };
  };
}

/**
 * One execution of an HTTP StatusCheck as Chaos Mesh runs it: the request as written (the token
 * placeholder filled in), within its timeout, judged by its status code criteria.
 */
async function executeOnce(
  check: StatusCheckTemplate,
  token: string,
): Promise<'Success' | 'Failure'> {
  const { http, timeoutSeconds } = check.statusCheck;
  const headers = new Headers();
  for (const [name, values] of Object.entries(http.headers))
    for (const value of values) headers.append(name, value.replace('FAULTLINE_TOKEN', token));
  try {
    const response = await fetch(http.url, {
      method: http.method,
      headers,
      signal: AbortSignal.timeout(timeoutSeconds * 1000),
    });
    await response.arrayBuffer();
    const [low, high = low] = http.criteria.statusCode.split('-').map(Number);
    return response.status >= (low ?? 0) && response.status <= (high ?? 0) ? 'Success' : 'Failure';
  } catch {
    return 'Failure';
  }
}
