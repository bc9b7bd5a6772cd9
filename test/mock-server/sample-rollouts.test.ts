import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Rollout } from '../../src/domain';
import { getRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

async function rollouts(server: TestServer): Promise<Rollout[]> {
  return ((await server.call('GET', '/api/v1/rollouts')).json() as { rollouts: Rollout[] })
    .rollouts;
}

const byService = (list: Rollout[], service: string) => {
  const found = list.find((r) => r.spec.service === service);
  if (!found) throw new Error(`no sample rollout on ${service}`);
  return found;
};

describe('sample rollouts on a fresh database', () => {
  let server: TestServer | undefined;
  let folder: string | undefined;
  afterEach(async () => {
    await server?.app.close();
    server = undefined;
    if (folder) rmSync(folder, { recursive: true, force: true });
    folder = undefined;
  });

  it('wait paused at their first step, saying how to go on, and stay still while paused', async () => {
    server = await testServer({ sampleData: true });
    const seeded = await rollouts(server);
    expect(seeded.map((r) => [r.spec.service, r.spec.environment, r.state, r.weight])).toEqual(
      expect.arrayContaining([
        ['search', 'staging', 'paused', 10],
        ['catalog', 'staging', 'paused', 10],
      ]),
    );
    for (const r of seeded) expect(r.reason).toMatch(/resume it to watch/);
    server.advance(120);
    expect((await rollouts(server)).map((r) => [r.state, r.stepIndex])).toEqual(
      seeded.map(() => ['paused', 0]),
    );
  });

  it('once resumed, the defective version is rolled back by the judge and the healthy one moves on', async () => {
    server = await testServer({ sampleData: true });
    const seeded = await rollouts(server);
    for (const r of seeded) {
      const resumed = await server.call('POST', `/api/v1/rollouts/${r.id}/resume`, { body: {} });
      expect(resumed.statusCode, resumed.body).toBe(200);
    }
    const searchId = byService(seeded, 'search').id;
    for (let i = 0; i < 20 && (await getRollout(server, searchId)).state === 'progressing'; i++) {
      server.advance(15);
    }
    const catalog = await getRollout(server, byService(seeded, 'catalog').id);
    expect(catalog.state).toBe('rolled-back');
    expect(catalog.stepIndex).toBe(0);
    expect(catalog.reason).toMatch(/^rolled back: canary 5xx rate 4\.\d % vs stable/);
    const search = await getRollout(server, searchId);
    expect(search.state).toBe('succeeded');
    expect(search.weights.map((w) => w.weight)).toEqual(expect.arrayContaining([10, 25, 50, 100]));
  });

  it('are seeded once per database, not again after a restart', async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'faultline-samples-'));
    const database = path.join(folder, 'faultline.sqlite');
    const first = await testServer({ database, sampleData: true });
    const seeded = await rollouts(first);
    expect(seeded).toHaveLength(2);
    await first.app.close();
    server = await testServer({ database, sampleData: true });
    expect((await rollouts(server)).map((r) => r.id).sort()).toEqual(
      seeded.map((r) => r.id).sort(),
    );
  });
});
