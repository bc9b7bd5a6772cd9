import { describe, expect, it } from 'vitest';
import { activeInjections, type StreamEvent } from '../../src/domain';
import { mildLatencySpec, startExperiment, testServer, type TestServer } from './test-server';

/** Four long, harmless experiments spread over environments and services. */
async function fourRunning(server: TestServer) {
  const long = { steps: [{ magnitude: 50, durationSeconds: 3600 }] };
  return {
    checkoutStaging: await startExperiment(
      server,
      mildLatencySpec({ ...long, service: 'checkout', environment: 'staging' }),
    ),
    paymentsStaging: await startExperiment(
      server,
      mildLatencySpec({ ...long, service: 'payments', environment: 'staging' }),
    ),
    catalogProduction: await startExperiment(
      server,
      mildLatencySpec({ ...long, service: 'catalog', environment: 'production' }),
    ),
    frontendDevelopment: await startExperiment(
      server,
      mildLatencySpec({ ...long, service: 'frontend', environment: 'development' }),
    ),
  };
}

function collect(server: TestServer): StreamEvent[] {
  const events: StreamEvent[] = [];
  server.context.bus.subscribe((record) => events.push(record.event));
  return events;
}

const states = (server: TestServer, ids: string[]) => ids.map((id) => server.experiment(id).state);

describe('halt all', () => {
  it('stops every running experiment in one request, so no injection is left', async () => {
    const server = await testServer();
    const running = Object.values(await fourRunning(server)).map((e) => e.id);
    server.advance(5);
    const events = collect(server);

    const response = await server.call('POST', '/api/v1/halt-all', { body: {}, as: 'dev-dana' });
    expect(response.statusCode).toBe(200);
    expect([...response.json().halted].sort()).toEqual([...running].sort());
    expect(states(server, running)).toEqual(['halted', 'halted', 'halted', 'halted']);
    for (const id of running) {
      const experiment = server.experiment(id);
      expect(experiment.run?.outcome).toMatchObject({
        kind: 'halted',
        by: 'dev-dana',
        haltAll: true,
      });
      expect(activeInjections(experiment, server.clock.now())).toEqual([]);
    }
    expect(server.engine.running()).toEqual([]);
    expect(events.filter((e) => e.type === 'halt-all')).toEqual([
      { type: 'halt-all', by: 'dev-dana', halted: response.json().halted },
    ]);
    expect(events.filter((e) => e.type === 'experiment' && e.change === 'halted')).toHaveLength(4);
    // The halt-all event comes last, after every experiment's own event.
    expect(events.at(-1)?.type).toBe('halt-all');

    server.advance(3);
    const last = server.simulation.latest();
    expect(last.some((s) => s.experimentId && running.includes(s.experimentId))).toBe(false);
  });

  it('honours the environment and service filters and leaves the rest running', async () => {
    const server = await testServer();
    const e = await fourRunning(server);
    const all = [
      e.checkoutStaging.id,
      e.paymentsStaging.id,
      e.catalogProduction.id,
      e.frontendDevelopment.id,
    ];

    const staging = await server.call('POST', '/api/v1/halt-all', {
      body: { environment: 'staging' },
    });
    expect([...staging.json().halted].sort()).toEqual(
      [e.checkoutStaging.id, e.paymentsStaging.id].sort(),
    );
    expect(states(server, all)).toEqual(['halted', 'halted', 'running', 'running']);

    const catalog = await server.call('POST', '/api/v1/halt-all', { body: { service: 'catalog' } });
    expect(catalog.json().halted).toEqual([e.catalogProduction.id]);
    expect(states(server, all)).toEqual(['halted', 'halted', 'halted', 'running']);

    const none = await server.call('POST', '/api/v1/halt-all', {
      body: { environment: 'production', service: 'frontend' },
    });
    expect(none.json().halted).toEqual([]);
    expect(server.experiment(e.frontendDevelopment.id).state).toBe('running');
  });

  it('is idempotent: a second press halts nothing more and changes no experiment', async () => {
    const server = await testServer();
    await fourRunning(server);
    await server.call('POST', '/api/v1/halt-all', { body: {} });
    const before = server.context.experiments.list();
    const again = await server.call('POST', '/api/v1/halt-all', { body: {}, as: 'vic-viewer' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ halted: [], flagsKilled: [] });
    expect(server.context.experiments.list()).toEqual(before);
  });

  it('runs the halt-all hooks in the same request and reports the flags they turned off', async () => {
    const server = await testServer();
    await fourRunning(server);
    const seen: { killFlags: boolean; halted: number }[] = [];
    server.context.extensions.haltAllHooks.push((input) => {
      seen.push({ killFlags: input.killFlags, halted: input.halted.length });
      return input.killFlags ? ['new-checkout'] : [];
    });
    const response = await server.call('POST', '/api/v1/halt-all', {
      body: { environment: 'staging', killFlags: true },
    });
    expect(response.json().flagsKilled).toEqual(['new-checkout']);
    expect(seen).toEqual([{ killFlags: true, halted: 2 }]);
  });
});
