import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryPolicy } from '../../mock-server/notifications/delivery-worker';
import { verifySignature } from '../../mock-server/notifications/signing';
import type { Incident } from '../../src/domain';
import {
  faultlinePayloadSchema,
  slackPayloadSchema,
  type WebhookDelivery,
  type WebhookSpecInput,
  type WebhookWithSecret,
} from '../../src/domain/webhooks';
import { abortingSpec } from './gamedays-test-app';
import { canarySpec, createRollout } from './rollouts-fixtures';
import { mildLatencySpec, startExperiment, testServer, type TestServer } from './test-server';
import { closedPort, startReceiver, type WebhookReceiver } from './webhook-receiver';

/** Retries a millisecond apart: the tests wait on what happened, never on how long it took. */
const FAST: Partial<DeliveryPolicy> = { retryBaseMs: 1, retryMaxMs: 5, timeoutMs: 5_000 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(
  policy: Partial<DeliveryPolicy> = {},
  options: Parameters<typeof testServer>[0] = {},
): Promise<TestServer> {
  const s = await testServer({ ...options, notifications: { policy: { ...FAST, ...policy } } });
  cleanups.push(() => s.app.close());
  return s;
}

async function receiver(respond?: Parameters<typeof startReceiver>[0]): Promise<WebhookReceiver> {
  const r = await startReceiver(respond);
  cleanups.push(() => r.close());
  return r;
}

async function webhook(s: TestServer, spec: WebhookSpecInput): Promise<WebhookWithSecret> {
  const response = await s.call('POST', '/api/v1/webhooks', { as: 'ada-admin', body: spec });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as WebhookWithSecret;
}

async function log(s: TestServer, id: string): Promise<WebhookDelivery[]> {
  const response = await s.call('GET', `/api/v1/webhooks/${id}/deliveries`, { as: 'ada-admin' });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { deliveries: WebhookDelivery[] }).deliveries;
}

/** Waits (bounded) until the newest delivery of a webhook is in `state`, and returns it. */
async function settled(s: TestServer, id: string, state: WebhookDelivery['state']) {
  return vi.waitFor(
    async () => {
      const [newest] = await log(s, id);
      if (newest?.state !== state || newest.attempts === 0) throw new Error('not yet');
      return newest;
    },
    { timeout: 10_000, interval: 20 },
  );
}

async function sendTest(s: TestServer, id: string): Promise<WebhookDelivery> {
  const response = await s.call('POST', `/api/v1/webhooks/${id}/test`, { as: 'ada-admin' });
  expect(response.statusCode, response.body).toBe(202);
  return (response.json() as { delivery: WebhookDelivery }).delivery;
}

const header = (r: WebhookReceiver, n: number, name: string) =>
  String(r.received[n]?.headers[name]);

describe('webhook delivery', () => {
  it('signs each body with the secret over timestamp and body, in the Faultline format', async () => {
    const s = await server();
    const r = await receiver();
    const hook = await webhook(s, {
      name: 'incident feed',
      url: r.url,
      events: ['experiment.aborted', 'incident.opened', 'incident.updated', 'incident.resolved'],
    });
    const aborting = await startExperiment(s, abortingSpec());
    s.advance(10);
    await r.waitFor(2);
    const [incident] = (
      (await s.call('GET', '/api/v1/incidents')).json() as { incidents: Incident[] }
    ).incidents;
    expect(incident?.experimentId).toBe(aborting.id);
    await s.call('POST', `/api/v1/incidents/${incident!.id}/updates`, {
      body: { text: 'Retries were not configured on the client.' },
    });
    await s.call('POST', `/api/v1/incidents/${incident!.id}/resolve`, {
      body: { version: 2, text: 'Retries configured.' },
    });
    await r.waitFor(4);

    const bodies = r.received.map((request) =>
      faultlinePayloadSchema.parse(JSON.parse(request.body)),
    );
    expect(bodies.map((b) => b.event)).toEqual([
      'experiment.aborted',
      'incident.opened',
      'incident.updated',
      'incident.resolved',
    ]);
    expect(bodies[0]?.summary).toMatch(
      /^Experiment "Error burst on checkout" on checkout in staging was aborted: /,
    );
    expect(bodies[0]?.data).toMatchObject({ experiment: { id: aborting.id, state: 'aborted' } });
    expect(bodies[1]?.data).toMatchObject({ incident: { id: incident!.id, state: 'open' } });
    expect(bodies[2]?.data).toMatchObject({ detail: 'Retries were not configured on the client.' });
    expect(bodies[3]?.data).toMatchObject({ incident: { state: 'resolved' } });
    r.received.forEach((request, n) => {
      const timestamp = header(r, n, 'x-faultline-timestamp');
      const expected = createHmac('sha256', hook.secret)
        .update(`${timestamp}.${request.body}`)
        .digest('hex');
      expect(header(r, n, 'x-faultline-signature')).toBe(`sha256=${expected}`);
      expect(header(r, n, 'x-faultline-event')).toBe(bodies[n]?.event);
      expect(header(r, n, 'content-type')).toBe('application/json');
    });
    // What a receiver checks: the signature, and a timestamp near its own clock.
    const first = { secret: hook.secret, header: header(r, 0, 'x-faultline-signature') };
    const at = Number(header(r, 0, 'x-faultline-timestamp'));
    const body = r.received[0]!.body;
    expect(verifySignature({ ...first, body, timestampSeconds: at, nowSeconds: at + 5 })).toBe(
      true,
    );
    expect(
      verifySignature({ ...first, body: `${body} `, timestampSeconds: at, nowSeconds: at }),
    ).toBe(false);
    expect(verifySignature({ ...first, body, timestampSeconds: at + 1, nowSeconds: at })).toBe(
      false,
    );
    expect(verifySignature({ ...first, body, timestampSeconds: at, nowSeconds: at + 600 })).toBe(
      false,
    );
    expect(
      verifySignature({
        ...first,
        secret: 'whsec_other',
        body,
        timestampSeconds: at,
        nowSeconds: at,
      }),
    ).toBe(false);
  });

  it('sends Slack a {text, blocks} body, and only the events the webhook asked for', async () => {
    const s = await server();
    const r = await receiver();
    const hook = await webhook(s, {
      name: 'slack',
      url: r.url,
      events: ['halt-all', 'rollout.rolled-back'],
      format: 'slack',
    });
    const long = { steps: [{ magnitude: 50, durationSeconds: 3600 }] };
    const single = await startExperiment(s, mildLatencySpec({ ...long, service: 'search' }));
    await startExperiment(s, mildLatencySpec({ ...long, service: 'checkout' }));
    await startExperiment(s, mildLatencySpec({ ...long, service: 'catalog' }));
    // A single halt is not among its events.
    expect(
      (await s.call('POST', `/api/v1/experiments/${single.id}/halt`, { body: {} })).statusCode,
    ).toBe(200);
    const halted = await s.call('POST', '/api/v1/halt-all', { body: {}, as: 'dev-dana' });
    expect(halted.statusCode).toBe(200);
    await r.waitFor(1);
    const rollout = await createRollout(
      s,
      canarySpec({ defect: { fivexxPercent: 4, addedLatencyMs: 0 } }),
    );
    s.advance(21);
    await r.waitFor(2);

    const [haltAll, rolledBack] = r.received.map((request) => JSON.parse(request.body) as unknown);
    expect(Object.keys(haltAll as object).sort()).toEqual(['blocks', 'text']);
    const slack = slackPayloadSchema.parse(haltAll);
    expect(slack.text).toBe(':octagonal_sign: Halt all by dev-dana: 2 experiments halted');
    expect(slack.blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Halt all by dev-dana: 2 experiments halted*' },
    });
    expect(slack.blocks[1]?.type).toBe('context');
    expect(slackPayloadSchema.parse(rolledBack).text).toMatch(
      /^:leftwards_arrow_with_hook: Rollout of checkout 2\.4\.0 in staging was rolled back/,
    );
    expect(r.received).toHaveLength(2);
    expect((await log(s, hook.id)).map((d) => d.event)).toEqual([
      'rollout.rolled-back',
      'halt-all',
    ]);
    expect(rollout.id).toBeTruthy();
  });

  it('retries after 500s with the same signed bytes, and logs every attempt until delivered', async () => {
    const s = await server();
    const r = await receiver((n) => (n < 2 ? 500 : 200));
    const hook = await webhook(s, { name: 'flaky', url: r.url, events: ['halt-all'] });
    const queued = await sendTest(s, hook.id);
    expect(queued).toMatchObject({ event: 'test', state: 'pending', attempts: 0 });

    const delivered = await settled(s, hook.id, 'delivered');
    expect(delivered).toMatchObject({
      id: queued.id,
      attempts: 3,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(r.received).toHaveLength(3);
    expect(new Set(r.received.map((q) => q.body)).size).toBe(1);
    expect(new Set(r.received.map((_q, n) => header(r, n, 'x-faultline-delivery')))).toEqual(
      new Set([queued.id]),
    );
  });

  it('gives up after its last try and logs why: a closed port', async () => {
    const s = await server({ maxAttempts: 3 });
    const hook = await webhook(s, { name: 'dead', url: await closedPort(), events: ['halt-all'] });
    await sendTest(s, hook.id);
    const failed = await settled(s, hook.id, 'failed');
    expect(failed).toMatchObject({ attempts: 3, lastStatus: null, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
  });

  it('does not retry a receiver that refuses with a 4xx', async () => {
    const s = await server();
    const r = await receiver(() => 410);
    const hook = await webhook(s, { name: 'gone', url: r.url, events: ['halt-all'] });
    await sendTest(s, hook.id);
    expect(await settled(s, hook.id, 'failed')).toMatchObject({
      attempts: 1,
      lastStatus: 410,
      lastError: 'HTTP 410',
    });
  });

  it('cuts off a receiver that never answers, after the per-request timeout', async () => {
    const s = await server({ timeoutMs: 200, maxAttempts: 2 });
    const r = await receiver(() => 'hold');
    const hook = await webhook(s, { name: 'silent', url: r.url, events: ['halt-all'] });
    await sendTest(s, hook.id);
    const failed = await settled(s, hook.id, 'failed');
    expect(failed).toMatchObject({
      attempts: 2,
      lastStatus: null,
      lastError: 'no answer within 200 ms',
    });
    expect(r.received).toHaveLength(2);
  });

  it('delivers to a webhook that answers while another receiver holds its request', async () => {
    const s = await server({ timeoutMs: 60_000 });
    const silent = await receiver(() => 'hold');
    const good = await receiver();
    const stuck = await webhook(s, { name: 'silent', url: silent.url, events: ['halt-all'] });
    const working = await webhook(s, { name: 'good', url: good.url, events: ['halt-all'] });
    await sendTest(s, stuck.id);
    await silent.waitFor(1);
    await sendTest(s, working.id);
    expect(await settled(s, working.id, 'delivered')).toMatchObject({ attempts: 1 });
    expect(silent.holding()).toBe(1);
  });

  it('halts all, and the engine ticks, while a receiver holds every request unanswered', async () => {
    // One delivery at a time, held by the receiver: everything else waits in the queue.
    const s = await server({ concurrency: 1, timeoutMs: 60_000 });
    const r = await receiver((n) => (n === 0 ? 'hold' : 200));
    const hook = await webhook(s, {
      name: 'stuck',
      url: r.url,
      events: ['halt-all', 'experiment.halted'],
    });
    await sendTest(s, hook.id);
    await r.waitFor(1);
    const long = { steps: [{ magnitude: 50, durationSeconds: 3600 }] };
    const single = await startExperiment(s, mildLatencySpec({ ...long, service: 'search' }));
    const others = [
      await startExperiment(s, mildLatencySpec({ ...long, service: 'checkout' })),
      await startExperiment(s, mildLatencySpec({ ...long, service: 'catalog' })),
    ];

    const halt = await s.call('POST', `/api/v1/experiments/${single.id}/halt`, { body: {} });
    expect(halt.statusCode).toBe(200);
    const all = await s.call('POST', '/api/v1/halt-all', { body: {} });
    expect(all.statusCode).toBe(200);
    expect([...(all.json() as { halted: string[] }).halted].sort()).toEqual(
      others.map((e) => e.id).sort(),
    );
    s.advance(3);
    expect(s.engine.running()).toEqual([]);
    // The receiver still holds the test message: the stops did not wait for it.
    expect(r.holding()).toBe(1);
    expect(r.received).toHaveLength(1);
    await vi.waitFor(async () => expect(await log(s, hook.id)).toHaveLength(3), { timeout: 5_000 });
    expect((await log(s, hook.id)).map((d) => [d.event, d.state, d.attempts])).toEqual([
      ['halt-all', 'pending', 0],
      ['experiment.halted', 'pending', 0],
      ['test', 'pending', 0],
    ]);

    r.release();
    await r.waitFor(3);
    expect(r.received.map((q) => header(r, r.received.indexOf(q), 'x-faultline-event'))).toEqual([
      'test',
      'experiment.halted',
      'halt-all',
    ]);
  });

  it('sends what was pending when the server stopped once it starts again', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'faultline-webhooks-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const database = path.join(dir, 'faultline.sqlite');
    const r = await receiver((n) => (n === 0 ? 503 : 200));
    // A minute between tries: the first server is gone long before the second try is due.
    const first = await testServer({
      database,
      notifications: { policy: { retryBaseMs: 60_000 } },
    });
    const hook = await webhook(first, { name: 'restart', url: r.url, events: ['halt-all'] });
    const queued = await sendTest(first, hook.id);
    const waiting = await settled(first, hook.id, 'pending');
    expect(waiting).toMatchObject({ attempts: 1, lastStatus: 503 });
    await first.app.close();

    // Started again later (its wall clock past the retry): the delivery is sent.
    const later = () => Date.now() + 10 * 60_000;
    const second = await testServer({ database, notifications: { now: later } });
    cleanups.push(() => second.app.close());
    expect(await settled(second, hook.id, 'delivered')).toMatchObject({
      id: queued.id,
      attempts: 2,
    });
    expect(r.received.map((_q, n) => header(r, n, 'x-faultline-delivery'))).toEqual([
      queued.id,
      queued.id,
    ]);
  });
});
