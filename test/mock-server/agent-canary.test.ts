import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { canarySpec, createRollout } from './rollouts-fixtures';
import { testServer, type TestServer } from './test-server';

let server: TestServer | undefined;
let prometheus: FakePrometheus | undefined;
afterEach(async () => {
  await server?.app.close();
  await prometheus?.close();
  server = undefined;
  prometheus = undefined;
});

interface AgentTarget {
  name: string;
  environment: 'staging' | 'production';
  labels: Record<string, string>;
}

/** An agent on "laptop" serving `targets` of the shop service, registered as a connecting agent would. */
function connectAgent(on: TestServer, targets: AgentTarget[]) {
  on.agents.hub.connect(
    { id: 'token-1', name: 'laptop' },
    {
      host: 'laptop',
      version: '1',
      holding: [],
      targets: targets.map((t) => ({ ...t, service: 'shop', pid: 1, http: true })),
    },
    () => false,
  );
}

const shopCanary = (environment = 'staging') =>
  canarySpec({ name: 'Shop 2.0', service: 'shop', environment });

interface FakePrometheus {
  url: string;
  /** Every instant query asked so far. */
  queries: string[];
  close(): Promise<void>;
}

/** A loopback stand-in for Prometheus's HTTP API: every query is kept and answered 1. */
async function fakePrometheus(): Promise<FakePrometheus> {
  const queries: string[] = [];
  const fake = http.createServer((req, res) => {
    // Asked as a GET's query string or a POST's form.
    let form = new URL(req.url ?? '/', 'http://127.0.0.1').search.slice(1);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (form += `&${chunk}`));
    req.on('end', () => {
      const params = new URLSearchParams(form);
      queries.push(params.get('query') ?? '');
      const t = Number(params.get('time') ?? Date.now() / 1000);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'vector', result: [{ metric: {}, value: [t, '1'] }] },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        fake.closeAllConnections();
        fake.close(() => resolve());
      }),
  };
}

describe('agent targets labelled version=canary', () => {
  it('are the canary a canary rollout of their service needs, in their environment only', async () => {
    const running = (server = await testServer());
    connectAgent(running, [
      { name: 'shop-1', environment: 'staging', labels: { version: 'stable' } },
      { name: 'shop-canary', environment: 'staging', labels: { version: 'canary' } },
    ]);

    const created = await createRollout(running, shopCanary());
    expect(created).toMatchObject({ state: 'progressing', weight: 5 });
    expect(running.backend.inventory.canaryOf('shop', 'staging').map((i) => i.id)).toEqual([
      'shop-canary',
    ]);

    // Production has no canary of the shop: refused with the field named.
    const refused = await running.call('POST', '/api/v1/rollouts', {
      as: 'dev-dana',
      body: shopCanary('production'),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('shop has no canary host in production');
  });

  it('refuses a canary rollout when no agent target of the service says version=canary', async () => {
    const running = (server = await testServer());
    connectAgent(running, [
      { name: 'shop-1', environment: 'staging', labels: { version: 'stable' } },
      { name: 'shop-2', environment: 'staging', labels: { zone: 'canary' } },
    ]);
    const refused = await running.call('POST', '/api/v1/rollouts', {
      as: 'dev-dana',
      body: shopCanary(),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: { details: { issues: [{ path: 'environment' }] } },
    });
  });

  it('on a real environment, reads the agent canary’s own series for the canary side', async () => {
    const fake = (prometheus = await fakePrometheus());
    const running = (server = await testServer({
      config: {
        backends: parseBackendsConfig({
          environments: {
            staging: {
              metrics: { url: fake.url },
              fleet: {
                services: [{ name: 'shop' }],
                instances: [{ id: 'shop-1', service: 'shop', metricsInstance: '127.0.0.1:7101' }],
              },
            },
          },
        }),
      },
    }));
    connectAgent(running, [
      {
        name: 'shop-canary',
        environment: 'staging',
        labels: { version: 'canary', 'metrics-instance': '127.0.0.1:7102' },
      },
    ]);
    await createRollout(running, shopCanary());

    // The instance's name as a regex: its dots escaped.
    const canary = String.raw`"127\\.0\\.0\\.1:7102"`;
    const asked = (matcher: string) => fake.queries.some((q) => q.includes(matcher));
    // Stable is the service's other instances: the agent's canary is left out of it.
    const bothSides = () => asked(`instance=~${canary}`) && asked(`instance!~${canary}`);
    for (let beat = 0; beat < 40 && !bothSides(); beat++) {
      running.advance(1);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(bothSides(), fake.queries.slice(-5).join('\n')).toBe(true);
  });
});
