import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { activeInjections } from '../../src/domain';
import { mildLatencySpec, startExperiment, testServer } from './test-server';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function databaseFile(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'faultline-restart-'));
  folders.push(folder);
  return path.join(folder, 'faultline.sqlite');
}

describe('a server restarted on the same database file', () => {
  it('marks the experiment that was running as interrupted, with no injection left', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const started = await startExperiment(
      first,
      mildLatencySpec({ steps: [{ magnitude: 50, durationSeconds: 600 }] }),
    );
    first.advance(10);
    expect(first.experiment(started.id).state).toBe('running');
    // The process dies: nothing gets to mark the experiment as ended.
    first.context.db.close();

    const second = await testServer({ database });
    const recovered = second.experiment(started.id);
    expect(recovered.state).toBe('interrupted');
    expect(recovered.run?.outcome).toMatchObject({ kind: 'interrupted' });
    expect(recovered.run?.targets).toEqual(started.run?.targets);
    expect(activeInjections(recovered, second.clock.now())).toEqual([]);
    expect(second.engine.running()).toEqual([]);
    second.advance(2);
    expect(second.simulation.latest().some((s) => s.experimentId === started.id)).toBe(false);
    const [latest] = second.context.audit.list(1000).filter((r) => r.targetId === started.id);
    expect(latest).toMatchObject({
      action: 'experiment.interrupt',
      actor: 'faultline',
      role: 'system',
    });
    await second.app.close();
  });

  it('marks running experiments interrupted when the server is shut down cleanly', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const started = await startExperiment(
      first,
      mildLatencySpec({ steps: [{ magnitude: 50, durationSeconds: 600 }] }),
    );
    await first.app.close();

    const second = await testServer({ database });
    expect(second.experiment(started.id).run?.outcome).toMatchObject({
      kind: 'interrupted',
      reason: 'the server was shut down while the experiment was running',
    });
    await second.app.close();
  });

  it('keeps every experiment and audit row, and does not seed the sample data twice', async () => {
    const database = databaseFile();
    const first = await testServer({ database, sampleData: true });
    const seeded = first.context.experiments.list();
    expect(seeded.map((e) => e.name)).toContain('CPU pressure on checkout');
    const audited = first.context.audit.count();
    await first.app.close();

    const second = await testServer({ database, sampleData: true });
    expect(second.context.experiments.list()).toEqual(seeded);
    expect(second.context.audit.count()).toBe(audited);
    await second.app.close();
  });

  it('writes "interrupted" on the timeline of the game day the crashed experiment belonged to', async () => {
    const database = databaseFile();
    const first = await testServer({ database });
    const started = await startExperiment(
      first,
      mildLatencySpec({ steps: [{ magnitude: 50, durationSeconds: 600 }] }),
    );
    const now = first.clock.now();
    const created = await first.call('POST', '/api/v1/gamedays', {
      body: {
        title: 'Crash day',
        startsAt: now - 60_000,
        endsAt: now + 3_600_000,
        experimentIds: [started.id],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const gamedayId = (created.json() as { id: string }).id;
    first.advance(5);
    // The process dies: only recovery at the next start can tell the timeline.
    first.context.db.close();

    const second = await testServer({ database });
    const response = await second.call('GET', `/api/v1/gamedays/${gamedayId}/timeline`);
    const entries = (response.json() as { entries: { kind: string; experimentId: string }[] })
      .entries;
    expect(entries.filter((e) => e.kind === 'interrupted')).toEqual([
      expect.objectContaining({ kind: 'interrupted', experimentId: started.id }),
    ]);
    await second.app.close();
  });
});
