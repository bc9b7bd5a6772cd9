import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import type { Backend, LiveStream } from '@/backend/backend';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';
import type { StreamEvent } from '@/domain/api';
import { specOf, type Experiment } from '@/domain/experiment';
import { failure } from './contract-server';
import { until } from './sse-stream';

// The HTTP adapter against the real server app, over a real loopback socket, so the two cannot drift.
let server: FaultlineApp;
let clock: ManualClock;
let baseUrl: string;
const streams: LiveStream[] = [];

const realFetch: FetchFunction = (input, init) => fetch(input, init);

function backendWith(token: string | null, fetchFunction: FetchFunction = realFetch): Backend {
  return createHttpBackend({ fetch: fetchFunction, baseUrl, getToken: () => token });
}

async function signIn(user: string, fetchFunction?: FetchFunction): Promise<Backend> {
  const session = await backendWith(null).identity!.createDemoSession!(user);
  return backendWith(session.token, fetchFunction);
}

function listen(backend: Backend) {
  const events: { event: StreamEvent }[] = [];
  let live = false;
  const stream = backend.live.openStream({
    onEvent: (event) => events.push({ event }),
    onConnection: ({ state }) => (live = state === 'live'),
  });
  streams.push(stream);
  return { events, isLive: () => live, stream };
}

/** Moves the server's clock on, one tick (1 s) at a time, letting the sockets breathe in between. */
async function advance(seconds: number) {
  for (let s = 0; s < seconds; s++) {
    clock.advance(1000);
    if (s % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function sampleDraft(backend: Backend, name: string): Promise<Experiment> {
  const all = await backend.experiments.listExperiments();
  const sample = all.find((e) => e.name === 'CPU pressure on checkout');
  if (!sample) throw new Error('the sample data has no CPU experiment');
  return backend.experiments.createExperiment({ ...specOf(sample), name });
}

beforeAll(async () => {
  clock = new ManualClock(Date.UTC(2025, 0, 6, 9, 0, 0));
  server = await buildApp({ database: ':memory:', clock, config: { tickMs: 1000 } });
  await server.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  await advance(5);
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  await server.app.close();
});

describe('the HTTP backend against the mock server', () => {
  it('signs in a demo user and learns who it is', async () => {
    const auth = await backendWith(null).identity!.authInfo();
    expect(auth.demo).toBe(true);
    expect(auth.users.map((u) => u.role).sort()).toEqual(['admin', 'developer', 'sre', 'viewer']);
    const sre = await signIn('sam-sre');
    await expect(sre.identity!.me()).resolves.toMatchObject({ name: 'sam-sre', role: 'sre' });
  });

  it('signs out on the server: the token it held is refused afterwards', async () => {
    const session = await backendWith(null).identity!.createDemoSession!('vic-viewer');
    const viewer = backendWith(session.token);
    await viewer.identity!.signOut();
    expect((await failure(viewer.identity!.me())).kind).toBe('unauthorised');
  });

  it('reads the fleet, the experiments and metric history in the shapes the domain describes', async () => {
    const viewer = await signIn('vic-viewer');
    const fleet = await viewer.fleet.fleet();
    expect(fleet.services.map((s) => s.name)).toContain('checkout');
    const experiments = await viewer.experiments.listExperiments({ environment: 'staging' });
    expect(experiments.every((e) => e.environment === 'staging')).toBe(true);
    const sample = experiments.find((e) => e.name === 'CPU pressure on checkout');
    expect(sample?.state).toBe('draft');
    await expect(viewer.experiments.getExperiment(sample!.id)).resolves.toEqual(sample);
    const history = await viewer.fleet.metricHistory({
      service: 'checkout',
      environment: 'staging',
      group: 'all',
    });
    expect(history.length).toBeGreaterThan(0);
    expect(history.every((s) => s.service === 'checkout' && s.group === 'all')).toBe(true);
  });

  it(
    'follows an experiment from start to its abort over the live stream',
    { timeout: 30_000 },
    async () => {
      const sre = await signIn('sam-sre');
      const { events, isLive } = listen(sre);
      await until(isLive);
      const draft = await sampleDraft(sre, 'Contract: CPU until abort');
      const running = await sre.experiments.startExperiment(draft.id, { version: draft.version });
      expect(running.state).toBe('running');

      await advance(250);
      await until(() =>
        events.some(
          ({ event }) =>
            event.type === 'experiment' &&
            event.change === 'aborted' &&
            event.experiment.id === draft.id,
        ),
      );
      const aborted = await sre.experiments.getExperiment(draft.id);
      expect(aborted.state).toBe('aborted');
      expect(aborted.run?.outcome?.kind).toBe('aborted');
      const targetSamples = events.filter(
        ({ event }) =>
          event.type === 'metrics' &&
          event.samples.some((s) => s.group === 'target' && s.experimentId === draft.id),
      );
      expect(targetSamples.length).toBeGreaterThan(10);
    },
  );

  it('halts everything running with one request, and a second stream hears it', async () => {
    const sre = await signIn('sam-sre');
    const observer = listen(await signIn('vic-viewer'));
    await until(observer.isLive);
    const first = await sampleDraft(sre, 'Contract: halt one');
    const second = await sampleDraft(sre, 'Contract: halt two');
    await sre.experiments.startExperiment(first.id, { version: first.version });
    await sre.experiments.startExperiment(second.id, { version: second.version });

    const viewer = await signIn('vic-viewer');
    const result = await viewer.experiments.haltAll({});
    expect(result.halted).toEqual(expect.arrayContaining([first.id, second.id]));
    await until(() =>
      observer.events.some(
        ({ event }) => event.type === 'halt-all' && event.halted.includes(first.id),
      ),
    );
    await expect(viewer.experiments.getExperiment(second.id)).resolves.toMatchObject({
      state: 'halted',
    });
    await expect(viewer.experiments.haltAll({})).resolves.toMatchObject({ halted: [] });
  });

  it('reports each refusal as a domain error with its kind, the code and the field', async () => {
    const sre = await signIn('sam-sre');
    const viewer = await signIn('vic-viewer');
    const draft = await sampleDraft(sre, 'Contract: refusals');

    expect(
      await failure(viewer.experiments.startExperiment(draft.id, { version: draft.version })),
    ).toMatchObject({ code: 'forbidden', kind: 'forbidden' });
    expect(
      await failure(sre.experiments.startExperiment(draft.id, { version: draft.version + 7 })),
    ).toMatchObject({
      code: 'version_conflict',
      kind: 'conflict',
    });
    expect(await failure(sre.experiments.getExperiment('no-such-experiment'))).toMatchObject({
      code: 'not_found',
      kind: 'not-found',
    });
    expect(await failure(backendWith('not-a-token').identity!.me())).toMatchObject({
      code: 'unauthenticated',
      kind: 'unauthorised',
    });

    const invalid = await failure(
      sre.experiments.createExperiment({
        ...specOf(draft),
        steps: [{ magnitude: 500, durationSeconds: 60 }],
      }),
    );
    expect(invalid).toMatchObject({ code: 'validation_failed', kind: 'invalid' });
    expect(invalid.issues[0]?.path).toBe('steps.0.magnitude');

    const nowhere = await sre.experiments.createExperiment({
      ...specOf(draft),
      name: 'Contract: nowhere',
      blastRadius: { ...draft.blastRadius, selector: { zone: 'nowhere' } },
    });
    const refused = await failure(
      sre.experiments.startExperiment(nowhere.id, { version: nowhere.version }),
    );
    expect(refused).toMatchObject({ code: 'start_refused', kind: 'refused' });
    expect(refused.reason).toBeTruthy();
  });

  it('resumes a dropped stream from the last event id without missing or repeating an event', async () => {
    let cut = false;
    // The first stream response is cut after a few chunks, as a flaky network would.
    const flaky: FetchFunction = async (input, init) => {
      const response = await realFetch(input, init);
      if (cut || !input.endsWith('/api/v1/stream') || !response.body) return response;
      cut = true;
      const reader = response.body.getReader();
      let chunks = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const { done, value } = await reader.read();
          if (done || ++chunks > 6) {
            void reader.cancel();
            controller.error(new TypeError('connection reset'));
            return;
          }
          controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const { events, isLive } = listen(await signIn('vic-viewer', flaky));
    await until(isLive);
    for (let round = 0; round < 20 && events.length < 30; round++) {
      await advance(2);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await until(() => events.length >= 30, 5_000);
    expect(cut).toBe(true);
    // Resuming is the adapter's business: what shows it worked is that the ticks arrive
    // once each, in order, one interval apart, across the cut.
    const ticks = events.flatMap(({ event }) => (event.type === 'metrics' ? [event.t] : []));
    const steps = ticks.slice(1).map((t, i) => t - ticks[i]!);
    expect(ticks.length).toBeGreaterThan(10);
    expect(new Set(steps)).toEqual(new Set([steps[0]]));
    expect(steps[0]).toBeGreaterThan(0);
  });
});
