import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  artifacts,
  eventually,
  pointsDrawn,
  startDashboard,
  type DashboardE2e,
} from './dashboard-e2e';
import { CANARY_5XX_ROLLBACK } from '../mock-server/rollouts-fixtures';

async function openRollouts(page: Page) {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Rollouts' })
    .click();
  await page.getByRole('heading', { name: 'Rollouts', level: 1 }).waitFor();
}

/** Fills the designer for a canary of `service` in `environment`; `fivexx` gives the new version a defect. */
async function designCanary(
  page: Page,
  {
    name,
    service,
    environment,
    version,
    fivexx = 0,
  }: {
    name: string;
    service: string;
    environment: string;
    version: string;
    fivexx?: number;
  },
) {
  await page.getByRole('link', { name: 'New rollout' }).click();
  await page.getByRole('heading', { name: 'New rollout' }).waitFor();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('combobox', { name: 'Service' }).selectOption(service);
  await page.getByRole('combobox', { name: 'Rollout environment' }).selectOption(environment);
  await page.getByRole('textbox', { name: 'New version' }).fill(version);
  if (fivexx > 0) {
    await page.getByText('Simulated defect').click();
    await page.getByRole('textbox', { name: 'Extra 5xx answers (%)' }).fill(String(fivexx));
  }
}

describe.skipIf(!inject('chromiumPath'))('rollouts in Chromium', () => {
  let e2e: DashboardE2e;
  beforeAll(async () => {
    e2e = await startDashboard();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it(
    'rolls a defective canary back by itself and says why, with the judge’s numbers',
    { timeout: 240_000 },
    async () => {
      e2e.run(10);
      const { page, context } = await e2e.signedIn('sam-sre');
      page.setDefaultTimeout(60_000);
      await openRollouts(page);
      await designCanary(page, {
        name: 'Checkout 2.4.0',
        service: 'checkout',
        environment: 'staging',
        version: '2.4.0',
        fivexx: 4,
      });
      // A field that is wrong says so next to itself, and nothing can start.
      const weight2 = page.getByRole('textbox', { name: 'Weight of step 2 (%)' });
      await weight2.fill('3');
      await page.getByText("each step's weight must be above the one before (5 %)").waitFor();
      expect(await page.getByRole('button', { name: 'Start rollout' }).isDisabled()).toBe(true);
      await page.screenshot({
        path: path.join(artifacts, 'rollout-designer-error.png'),
        fullPage: true,
      });
      await weight2.fill('25');
      await page.getByRole('button', { name: 'Start rollout' }).click();
      await page.getByRole('heading', { name: 'Checkout 2.4.0', level: 1 }).waitFor();
      await eventually(
        () => pointsDrawn(page, '5xx rate', 'canary'),
        (n) => n > 3,
      );
      await page.screenshot({
        path: path.join(artifacts, 'rollout-progressing.png'),
        fullPage: true,
      });

      // The stream brings the rollback: no reload.
      const reason = page.getByRole('status', { name: 'Reason' });
      await reason.filter({ hasText: /^rolled back:/ }).waitFor({ timeout: 60_000 });
      expect(await reason.textContent()).toMatch(CANARY_5XX_ROLLBACK);
      await page.getByRole('listitem', { name: /^Step 1 at 5 %, .*: failed$/ }).waitFor();
      await page
        .getByRole('img', { name: 'marker: rolled back' })
        .first()
        .waitFor({ state: 'attached' });
      e2e.run(0);
      await page.screenshot({
        path: path.join(artifacts, 'rollout-rolled-back-dark.png'),
        fullPage: true,
      });
      await page.getByRole('button', { name: 'Light theme' }).click();
      await page.screenshot({
        path: path.join(artifacts, 'rollout-rolled-back-light.png'),
        fullPage: true,
      });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({
        path: path.join(artifacts, 'rollout-rolled-back-390.png'),
        fullPage: true,
      });
      // Nothing on the page is wider than the phone's screen.
      const overflow = await page.evaluate(() => document.querySelector('main')?.scrollWidth ?? 0);
      expect(overflow).toBeLessThanOrEqual(390);
      await openRollouts(page);
      await page.screenshot({
        path: path.join(artifacts, 'rollouts-list-390.png'),
        fullPage: true,
      });
      await context.close();
    },
  );

  it(
    'aborts a healthy canary at once from the keyboard, after asking',
    { timeout: 240_000 },
    async () => {
      e2e.run(5);
      const { page, context } = await e2e.signedIn('sam-sre');
      page.setDefaultTimeout(60_000);
      await openRollouts(page);
      await designCanary(page, {
        name: 'Payments 3.1.0',
        service: 'payments',
        environment: 'production',
        version: '3.1.0',
      });
      // The first step waits for a person, so the rollout is still at it when abort is pressed.
      await page
        .getByRole('listitem', { name: 'Step 1' })
        .getByRole('combobox', { name: 'Step 1 ends' })
        .selectOption({ label: 'when a person promotes it' });
      await page.getByRole('button', { name: 'Start rollout' }).click();
      await page.getByRole('heading', { name: 'Payments 3.1.0', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Abort' }).focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('alertdialog', { name: 'Abort Payments 3.1.0?' });
      await dialog.waitFor();
      await page.screenshot({ path: path.join(artifacts, 'rollout-abort-dialog.png') });
      // "Abort now" has the focus: Enter confirms.
      await page.keyboard.press('Enter');
      await page
        .getByRole('status', { name: 'Reason' })
        .filter({ hasText: 'aborted by sam-sre: all traffic back on stable' })
        .waitFor();
      await page.getByRole('button', { name: 'Retry' }).waitFor();
      expect(await page.getByRole('button', { name: 'Abort' }).count()).toBe(0);
      await page.screenshot({ path: path.join(artifacts, 'rollout-aborted.png'), fullPage: true });
      await openRollouts(page);
      const row = page.getByRole('row').filter({ hasText: 'Payments 3.1.0' });
      await row.getByText('aborted', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(artifacts, 'rollouts-list.png'), fullPage: true });
      await context.close();
    },
  );
});
