import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OpenFeature } from '@openfeature/server-sdk';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startAgent } from '../../agent/agent';
import { loadAgentConfig } from '../../agent/config';
import { startShop, type RunningShop } from '../../examples/shop/shop';
import { runTraffic } from '../../examples/shop/traffic';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { parseBackendsConfig } from '../../mock-server/backends/backends-config';
import { systemClock } from '../../mock-server/clock';
import { flagSpecOf, type Flag } from '../../src/domain/flags';
import {
  freePort,
  prometheusInstalled,
  startPrometheus,
  type RunningPrometheus,
} from '../mock-server/real-prometheus';
import { artifacts } from './dashboard-e2e';

// The real setup in small: the sample shop (one instance, simulated users' traffic) behind the
// fault proxy of a Faultline agent, scraped every second by Debian's Prometheus, which Faultline
// reads for staging. In Chromium, an SRE designs an error-injection experiment on the shop and
// starts it; the proxy's 500s reach users and Prometheus, and the run aborts by itself.
const hasPrometheus = prometheusInstalled('the error-injection end-to-end test');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!inject('chromiumPath') || !hasPrometheus)(
  'an error-injection experiment on the real shop, in Chromium',
  () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'faultline-real-e2e-'));
    let prometheus: RunningPrometheus;
    let faultline: FaultlineApp;
    let shop: RunningShop | null = null;
    let agent: Awaited<ReturnType<typeof startAgent>> | null = null;
    let browser: Browser | null = null;
    const traffic = new AbortController();
    let trafficDone: Promise<unknown> = Promise.resolve();
    const agentLog: string[] = [];
    let url = '';

    async function api(method: string, route: string, token: string, body?: unknown) {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.ok, `${method} ${route}: ${response.status}`).toBe(true);
      return (await response.json()) as Record<string, unknown>;
    }

    async function promNumber(query: string): Promise<number> {
      const response = await fetch(
        `${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`,
      );
      const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
      const value = body.data.result[0]?.value[1];
      return value === undefined ? 0 : Number(value);
    }

    beforeAll(async () => {
      const shopPort = await freePort();
      const proxyPort = await freePort();
      prometheus = await startPrometheus([{ targets: [`127.0.0.1:${shopPort}`] }], {
        honorLabels: true,
      });
      faultline = await buildApp({
        config: {
          dataDir: folder,
          host: '127.0.0.1',
          port: 0,
          tickMs: 1000,
          backends: parseBackendsConfig({
            environments: {
              staging: {
                metrics: { url: prometheus.url },
                // No instances of its own: the agent brings shop-e1.
                fleet: { services: [{ name: 'checkout' }] },
              },
            },
          }),
        },
        database: path.join(folder, 'faultline.sqlite'),
        clock: systemClock,
        dashboardDir: inject('dashboardDir'),
      });
      url = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
      const admin = (
        await (
          await fetch(`${url}/api/v1/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user: 'ada-admin' }),
          })
        ).json()
      ).token as string;

      // The classic checkout for everyone: the shop answers no 5xx of its own.
      const flag = (await api('GET', '/api/v1/flags/new-checkout', admin)) as unknown as Flag;
      const spec = flagSpecOf(flag);
      spec.environments.staging = {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant: 'off' } }],
      };
      await api('PUT', '/api/v1/flags/new-checkout', admin, { version: flag.version, spec });
      const { keys } = (await api('GET', '/api/v1/ofrep-keys', admin)) as {
        keys: { environment: string; key: string }[];
      };
      shop = await startShop({
        instance: 'shop-e1',
        service: 'checkout',
        environment: 'staging',
        port: shopPort,
        appPort: 0,
        upstreamPort: proxyPort,
        faultlineUrl: url,
        flagsKey: keys.find((k) => k.environment === 'staging')?.key ?? '',
        fallbackNewCheckout: false,
        flagTimeoutMs: 2_000,
      });

      const { token } = (await api('POST', '/api/v1/agent-tokens', admin, {
        name: 'e2e host',
      })) as { token: string };
      const targets = path.join(folder, 'targets.json');
      writeFileSync(
        targets,
        JSON.stringify({
          targets: [
            {
              name: 'shop-e1',
              service: 'checkout',
              environment: 'staging',
              process: { pid: process.pid },
              http: { port: shop.appPort, proxyPort },
            },
          ],
        }),
      );
      agent = await startAgent(
        { server: url, token, config: targets, heartbeatTimeoutMs: 2_000, stressWorkers: 1 },
        await loadAgentConfig(targets),
        (line) => agentLog.push(line),
      );
      for (let i = 0; i < 40 && !faultline.agents.hub.list().some((a) => a.online); i++)
        await sleep(500);
      expect(
        faultline.agents.hub.list().some((a) => a.online),
        agentLog.join('\n'),
      ).toBe(true);

      await prometheus.ready();
      trafficDone = runTraffic({
        targets: [`http://127.0.0.1:${shopPort}`],
        ratePerSecond: 20,
        durationMs: 240_000,
        maxRequests: 4_800,
        signal: traffic.signal,
      });
      // The steady-state check needs a few scrapes under traffic (30 s at most).
      for (
        let i = 0;
        i < 60 && (await promNumber('sum(http_requests_total{instance="shop-e1"})')) < 30;
        i++
      )
        await sleep(500);

      browser = await chromium.launch({
        executablePath: inject('chromiumPath') ?? '',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
    }, 180_000);

    afterAll(async () => {
      traffic.abort();
      await trafficDone;
      await browser?.close();
      await agent?.stop();
      await shop?.close();
      await OpenFeature.close();
      await faultline?.app.close();
      await prometheus?.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    async function designErrorInjection(page: Page) {
      const target = page.getByRole('region', { name: 'Target' });
      await target.getByLabel('Service', { exact: true }).selectOption('checkout');
      await target.getByLabel('Environment', { exact: true }).selectOption('staging');
      await target.getByText('Hosts', { exact: true }).click();
      await target.getByText('All', { exact: true }).click();
      await page.getByText('Error injection', { exact: true }).click();
      await page.getByLabel('Magnitude of step 1 (%)').fill('30');
      await page.getByLabel('Duration of step 1 (s)').fill('600');
      await page.getByLabel('Metric of condition 1').selectOption('http_5xx_rate');
      await page.getByLabel('Threshold of condition 1 (%)').fill('10');
      await page.getByLabel('Window of condition 1 (s)').fill('2');
      await page.getByLabel('Name', { exact: true }).fill('Errors on the real checkout');
      await page
        .getByRole('textbox', { name: 'Hypothesis' })
        .fill('Checkout in staging stays under 10 % 5xx while its only instance fails 30 %.');
    }

    it('designs it, starts it, and watches it abort by itself on the real 5xx rate', async () => {
      const context = await browser!.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      await page.goto(`${url}/`);
      await page.getByRole('button', { name: /Sign in as .*\(SRE\)/i }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByRole('navigation').getByRole('link', { name: 'Experiments' }).first().click();
      await page.getByRole('link', { name: 'New experiment' }).click();
      await page.waitForURL(/\/experiments\/new$/);
      await designErrorInjection(page);
      // The blast radius is the agent's instance, drawn like any other host.
      await expect
        .poll(() => page.getByRole('status', { name: 'Resolved blast radius' }).textContent())
        .toContain('1 of 1 host');
      await page.getByRole('listitem', { name: /^host shop-e1: selected/ }).waitFor();

      await page.getByRole('button', { name: 'Review and start' }).click();
      await page.getByRole('button', { name: 'Start in staging' }).click();
      await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      const id = page.url().split('/').pop() ?? '';
      // Nobody presses anything: the 500s the proxy answers reach Prometheus and trip the condition.
      const aborted = page.getByText(/^Aborted at .* — value .*, threshold 10 %\.$/);
      await page
        .getByText(/^Running: Error injection at 30 % on checkout in staging/)
        .or(aborted)
        .waitFor();
      await aborted.waitFor({ timeout: 60_000 });
      const experiment = faultline.context.experiments.get(id);
      expect(experiment?.state, agentLog.join('\n')).toBe('aborted');
      const outcome = experiment?.run?.outcome;
      expect(outcome).toMatchObject({ kind: 'aborted', conditionIndex: 0 });
      if (outcome?.kind === 'aborted') expect(outcome.latest).toBeGreaterThan(10);
      // Prometheus counted 500s at the shop's edge, and the agent holds no fault any more.
      expect(
        await promNumber('sum(http_requests_total{instance="shop-e1",code="500"})'),
      ).toBeGreaterThan(0);
      expect(faultline.agents.hub.list()[0]?.faults).toEqual([]);
      await page.screenshot({
        path: path.join(artifacts, 'real-error-aborted.png'),
        fullPage: true,
      });
      await context.close();
    });
  },
);
