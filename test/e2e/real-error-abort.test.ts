import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { flagSpecOf, type Flag } from '../../src/domain/flags';
import { prometheusInstalled } from '../mock-server/real-prometheus';
import { artifacts } from './dashboard-e2e';
import { startRealSetup, type RealSetup } from './real-setup';

// The real setup (real-setup.ts) with one instance of the sample shop behind its agent's fault
// proxy, scraped every second by Debian's Prometheus, which Faultline reads for staging. In
// Chromium, an SRE designs an error-injection experiment on the shop and starts it; the proxy's
// 500s reach users and Prometheus, and the run aborts by itself.
const hasChromium = inject('chromiumPath') !== null;
const hasPrometheus = hasChromium && prometheusInstalled('the error-injection end-to-end test');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasPrometheus)(
  'an error-injection experiment on the real shop, in Chromium',
  () => {
    let real: RealSetup;
    let browser: Browser | null = null;

    beforeAll(async () => {
      real = await startRealSetup(1);
      // The classic checkout for everyone: the shop answers no 5xx of its own.
      const flag = await real.api<Flag>('GET', '/api/v1/flags/new-checkout');
      const spec = flagSpecOf(flag);
      spec.environments.staging = {
        state: 'on',
        rules: [{ name: 'Everyone', conditions: [], serve: { kind: 'variant', variant: 'off' } }],
      };
      const saved = await fetch(`${real.url}/api/v1/flags/new-checkout`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${real.admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version: flag.version, spec }),
      });
      expect(saved.status).toBe(200);
      // The steady-state check needs a few scrapes under traffic (30 s at most).
      for (
        let i = 0;
        i < 60 && ((await real.query('sum(http_requests_total{instance="shop-1"})')) ?? 0) < 30;
        i++
      )
        await sleep(500);
      browser = await chromium.launch({
        executablePath: inject('chromiumPath') ?? '',
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
    }, 240_000);

    afterAll(async () => {
      await browser?.close();
      await real?.close();
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
      await page.goto(`${real.url}/`);
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
      await page.getByRole('listitem', { name: /^host shop-1: selected/ }).waitFor();

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
      const experiment = real.faultline.context.experiments.get(id);
      expect(experiment?.state).toBe('aborted');
      const outcome = experiment?.run?.outcome;
      expect(outcome).toMatchObject({ kind: 'aborted', conditionIndex: 0 });
      if (outcome?.kind === 'aborted') expect(outcome.latest).toBeGreaterThan(10);
      // Prometheus counted 500s at the shop's edge, and the agent holds no fault any more.
      expect(
        await real.query('sum(http_requests_total{instance="shop-1",code="500"})'),
      ).toBeGreaterThan(0);
      // The agent's answer that it removed the fault follows the abort by a moment.
      await expect
        .poll(() => real.faultline.agents.hub.list()[0]?.faults.length, { timeout: 10_000 })
        .toBe(0);
      await page.screenshot({
        path: path.join(artifacts, 'real-error-aborted.png'),
        fullPage: true,
      });
      await context.close();
    });
  },
);
