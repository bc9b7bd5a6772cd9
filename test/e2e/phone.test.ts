import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, startDashboard, type DashboardE2e } from './dashboard-e2e';

let e2e: DashboardE2e;

beforeAll(async () => {
  e2e = await startDashboard();
});

afterAll(async () => {
  await e2e?.close();
});

describe('the dashboard on a phone (390 × 844 px)', () => {
  it('keeps the sticky header small and the overview from scrolling sideways, in both themes', async () => {
    const { context, page } = await e2e.signedIn('sam-sre');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    for (const theme of ['dark', 'light']) {
      await page.screenshot({
        path: path.join(artifacts, `phone-overview-${theme}.png`),
        fullPage: true,
      });
      const header = await page.locator('header').first().boundingBox();
      expect(header?.height ?? 999).toBeLessThanOrEqual(170);
      await expect
        .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
        .toBeLessThanOrEqual(390);
      // Halt all stays in view on a phone.
      const halt = await page.getByRole('button', { name: /^Halt all/ }).boundingBox();
      expect(halt && halt.x + halt.width).toBeLessThanOrEqual(390);
      // The theme button names the theme it switches to.
      if (theme === 'dark') await page.getByRole('button', { name: 'Light theme' }).click();
    }
    await context.close();
  });
});
