import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifacts, startDashboard, type DashboardE2e } from './dashboard-e2e';

const SAMPLE_SUMMARY =
  'Inject 50 % CPU, then 60 %, on 3 of 12 containers of checkout in staging for 4 minutes. ' +
  'Abort if the 5xx rate is above 1 % for 10 s or the error rate keeps rising.';

let e2e: DashboardE2e;
let page: Page;

beforeAll(async () => {
  e2e = await startDashboard();
  // Server time runs with real time while the browser works; faster when the ramp should move.
  e2e.run(1);
  ({ page } = await e2e.signedIn('sam-sre'));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

afterAll(async () => {
  await e2e?.close();
});

const experimentState = (id: string) => e2e.faultline.context.experiments.get(id);

async function designTheSampleOnTheGrid() {
  const target = page.getByRole('region', { name: 'Target' });
  await target.getByLabel('Service', { exact: true }).selectOption('checkout');
  await target.getByLabel('Environment', { exact: true }).selectOption('staging');
  await target.getByText('A percentage', { exact: true }).click();
  await page.getByLabel('Percentage of matching containers (%)').fill('25');
  await page.getByLabel('Magnitude of step 1 (%)').fill('50');
  await page.getByLabel('Duration of step 1 (s)').fill('120');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByLabel('Magnitude of step 2 (%)').fill('60');
  await page.getByLabel('Metric of condition 1').selectOption('http_5xx_rate');
  await page.getByLabel('Threshold of condition 1 (%)').fill('1');
  await page.getByLabel('Window of condition 1 (s)').fill('10');
  await page.getByRole('button', { name: 'Add abort condition' }).click();
  await page.getByLabel('Form of condition 2').selectOption('rising');
  await page.getByLabel('Rise of condition 2, more than (percentage points)').fill('2');
  await page.getByLabel('Window of condition 2 (s)').fill('30');
  await page.getByLabel('Name', { exact: true }).fill('CPU pressure on checkout');
  await page
    .getByRole('textbox', { name: 'Hypothesis' })
    .fill(
      'Checkout keeps its 5xx rate under 1 % while a quarter of its containers are CPU-starved.',
    );
}

describe.skipIf(!inject('chromiumPath'))('designing an experiment in the browser', () => {
  it(
    'creates the sample CPU experiment on the grid, reviews it, starts it in staging, ' +
      'watches it run, then carries it to production',
    async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Experiments' }).first().click();
      await page.getByRole('link', { name: 'New experiment' }).click();
      await page.waitForURL(/\/experiments\/new$/);
      await designTheSampleOnTheGrid();

      // The grid and the count agree: 3 of the 12 containers, spread over the zones.
      await expect
        .poll(() => page.getByRole('status', { name: 'Resolved blast radius' }).textContent())
        .toContain('3 of 12 containers');
      const selected = page.getByRole('listitem', { name: /^container \S+: selected$/ });
      expect(await selected.count()).toBe(3);
      expect(
        await page
          .getByRole('img', { name: /^Ramp: 50 % for 2 min, then 60 % for 2 min\. Total 4 min\.$/ })
          .count(),
      ).toBe(1);
      // Viewport shots: the header and the action bar stay fixed, a full-page shot would paint them mid-page.
      await page.screenshot({ path: path.join(artifacts, 'designer.png') });
      const attackTop = await page
        .getByRole('heading', { name: 'Attack and magnitude' })
        .evaluate((h) => h.getBoundingClientRect().top + window.scrollY);
      await page.evaluate((y) => window.scrollTo({ top: y - 140, behavior: 'instant' }), attackTop);
      await page.waitForTimeout(200);
      await page.screenshot({ path: path.join(artifacts, 'designer-ramp-and-abort.png') });

      await page.getByRole('button', { name: 'Review and start' }).click();
      const summary = page.getByLabel('Summary');
      expect(await summary.textContent()).toBe(SAMPLE_SUMMARY);
      await page.screenshot({ path: path.join(artifacts, 'designer-review.png') });

      await page.getByRole('button', { name: 'Start in staging' }).click();
      await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
      const stagingUrl = page.url();
      const id = stagingUrl.split('/').pop() ?? '';
      await page.getByText(/^Running: CPU pressure at 50 % on checkout in staging/).waitFor();
      expect(experimentState(id)?.state).toBe('running');

      // Watch it run: the ramp moves to its second step, then the run ends (completed or aborted).
      e2e.run(10);
      await expect
        .poll(() => experimentState(id)?.run?.stepIndex, { timeout: 30_000, interval: 20 })
        .toBe(1);
      e2e.run(1);
      await page.getByText('60 %', { exact: true }).first().waitFor({ timeout: 15_000 });
      e2e.run(10);
      await expect
        .poll(() => experimentState(id)?.state, { timeout: 30_000 })
        .toMatch(/completed|aborted/);
      e2e.run(1);
      const ended = experimentState(id);
      await page
        .getByText(ended?.state ?? '', { exact: true })
        .first()
        .waitFor({ timeout: 15_000 });
      await page.screenshot({
        path: path.join(artifacts, 'designer-staging-run.png'),
        fullPage: true,
      });

      // Results per environment: staging holds this run.
      const results = page.getByRole('region', { name: 'Results per environment' });
      await results
        .getByRole('row', { name: /^staging/ })
        .getByText(ended?.state ?? '', { exact: true })
        .waitFor();

      // Run in next environment: production, the blast radius resolved over production's fleet.
      await page
        .getByRole('button', { name: 'Run in production' })
        .or(page.getByRole('link', { name: 'Run in production' }))
        .click();
      if (ended?.state !== 'completed') {
        await page
          .getByRole('alert')
          .filter({ hasText: 'did not complete cleanly' })
          .first()
          .waitFor();
        await page.getByRole('link', { name: 'Carry it to production anyway' }).click();
      }
      await page.waitForURL(/\/experiments\/new\?next=/);
      await page.getByRole('heading', { name: 'Run in production' }).waitFor();
      await expect
        .poll(() => page.getByRole('status', { name: 'Resolved blast radius' }).textContent())
        .toContain('7 of 27 containers');
      expect(
        await page
          .getByText(
            /resolved again in production: 7 of 27 containers \(it was 3 of 12 containers in staging\)/,
          )
          .count(),
      ).toBe(1);
      await page.screenshot({
        path: path.join(artifacts, 'designer-next-environment.png'),
        fullPage: true,
      });

      // Production asks for its name typed again before it starts.
      await page.getByRole('button', { name: 'Review and start' }).click();
      expect(await page.getByLabel('Summary').textContent()).toContain(
        'on 7 of 27 containers of checkout in production',
      );
      const start = page.getByRole('button', { name: 'Start in production' });
      expect(await start.isDisabled()).toBe(true);
      await page.getByLabel(/Type production to confirm/).fill('production');
      expect(await start.isEnabled()).toBe(true);
      await page.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL(/\/experiments\/[0-9a-f-]{36}\/edit$/);
      const copies = e2e.faultline.context.experiments.list({ environment: 'production' });
      expect(copies.map((c) => [c.name, c.state, c.blastRadius.mode, c.blastRadius.value])).toEqual(
        [['CPU pressure on checkout', 'draft', 'percent', 25]],
      );
    },
  );
});
