import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../mock-server/context';
import {
  cpuSpec,
  createExperiment,
  mildLatencySpec,
  startExperiment,
  testServer,
} from './test-server';

describe('the audit log', () => {
  it('writes one row per change, with who, role, action, target and the record before and after', async () => {
    const server = await testServer();
    const created = await createExperiment(server, cpuSpec());
    await server.call('PUT', `/api/v1/experiments/${created.id}`, {
      body: { version: 1, spec: cpuSpec({ name: 'Renamed' }) },
      as: 'dev-dana',
    });
    await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 2 },
      as: 'ada-admin',
    });
    await server.call('POST', `/api/v1/experiments/${created.id}/halt`, {
      body: {},
      as: 'vic-viewer',
    });

    const response = await server.call('GET', '/api/v1/audit?limit=100', { as: 'vic-viewer' });
    type Row = {
      actor: string;
      role: string;
      action: string;
      targetType: string;
      targetId: string;
      before: { name?: string; state?: string } | null;
      after: { name?: string; state?: string } | null;
    };
    const entries = (response.json().entries as Row[]).filter((e) => e.targetId === created.id);
    expect(entries.map((e) => [e.actor, e.role, e.action])).toEqual([
      ['vic-viewer', 'viewer', 'experiment.halt'],
      ['ada-admin', 'admin', 'experiment.start'],
      ['dev-dana', 'developer', 'experiment.update'],
      ['sam-sre', 'sre', 'experiment.create'],
    ]);
    expect(entries.every((e) => e.targetType === 'experiment')).toBe(true);
    expect(entries[0]).toMatchObject({ before: { state: 'running' }, after: { state: 'halted' } });
    expect(entries[2]).toMatchObject({
      before: { name: 'CPU pressure on checkout' },
      after: { name: 'Renamed' },
    });
    expect(entries[3]).toMatchObject({
      before: null,
      after: { name: 'CPU pressure on checkout', state: 'draft' },
    });
  });

  it('records the engine’s own abort as the system, with the reason in the record after', async () => {
    const server = await testServer();
    const started = await startExperiment(server, cpuSpec());
    server.advance(300);
    const rows = server.context.audit.list(1000).filter((r) => r.targetId === started.id);
    const latest = rows[0];
    expect(latest).toMatchObject({
      actor: 'faultline',
      role: 'system',
      action: 'experiment.abort',
    });
    expect(latest?.after).toMatchObject({
      state: 'aborted',
      run: { outcome: { kind: 'aborted' } },
    });
  });

  it('writes a halt-all row and one row per halted experiment, in the same transaction', async () => {
    const server = await testServer();
    const a = await startExperiment(server, mildLatencySpec());
    const b = await startExperiment(server, mildLatencySpec({ service: 'catalog' }));
    const before = server.context.audit.count();
    await server.call('POST', '/api/v1/halt-all', { body: {}, as: 'dev-dana' });
    const rows = server.context.audit.list(3);
    expect(server.context.audit.count()).toBe(before + 3);
    expect(rows.map((r) => r.action).sort()).toEqual([
      'experiment.halt',
      'experiment.halt',
      'halt-all',
    ]);
    expect(
      rows
        .filter((r) => r.action === 'experiment.halt')
        .map((r) => r.targetId)
        .sort(),
    ).toEqual([a.id, b.id].sort());
  });

  it('writes nothing, and changes nothing, when the change fails half-way', async () => {
    const server = await testServer();
    const created = await createExperiment(server, cpuSpec());
    const before = server.context.audit.count();
    expect(() =>
      server.context.mutate(
        SYSTEM_ACTOR,
        'experiment.update',
        { type: 'experiment', id: created.id },
        () => {
          server.context.experiments.save({ ...created, name: 'Half-way', version: 2 });
          throw new Error('the disk is full');
        },
      ),
    ).toThrow('the disk is full');
    expect(server.context.audit.count()).toBe(before);
    expect(server.experiment(created.id).name).toBe('CPU pressure on checkout');
  });

  it('writes no row for a refused request', async () => {
    const server = await testServer();
    const created = await createExperiment(server, cpuSpec());
    const before = server.context.audit.count();
    await server.call('PUT', `/api/v1/experiments/${created.id}`, {
      body: { version: 7, spec: cpuSpec() },
    });
    await server.call('POST', `/api/v1/experiments/${created.id}/start`, {
      body: { version: 1 },
      as: 'dev-dana',
    });
    await server.call('POST', '/api/v1/experiments', { body: { name: '' } });
    expect(server.context.audit.count()).toBe(before);
  });

  it('offers no way to change or remove a row', async () => {
    const server = await testServer();
    await createExperiment(server, cpuSpec());
    const before = server.context.audit.list(10);
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const response = await server.call(method, '/api/v1/audit', { body: {}, as: 'ada-admin' });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect(server.context.audit.list(10)).toEqual(before);
  });
});

describe('the audit log’s person filter', () => {
  it('finds a person by display name or by part of the user name, in any case', async () => {
    const server = await testServer();
    await createExperiment(server, cpuSpec());
    await server.call('POST', '/api/v1/halt-all', { body: {}, as: 'vic-viewer' });
    const actors = async (person: string) =>
      (
        (
          await server.call('GET', `/api/v1/audit?actor=${encodeURIComponent(person)}`, {
            as: 'vic-viewer',
          })
        ).json().entries as { actor: string }[]
      ).map((e) => e.actor);
    const vic = await actors('vic-viewer');
    expect(vic.length).toBeGreaterThan(0);
    expect(await actors('Vic (viewer)')).toEqual(vic);
    expect(await actors('vic')).toEqual(vic);
    expect(await actors('VIEWER')).toEqual(vic);
    expect(await actors('nobody at all')).toEqual([]);
  });
});
