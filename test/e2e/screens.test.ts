import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifacts, startDashboard, type DashboardE2e } from './dashboard-e2e';

/** The main screens, each with a heading that says it has drawn. */
const SCREENS = [
  {
    name: 'overview',
    path: '/',
    ready: (page: Page) => page.getByRole('heading', { name: 'Overview' }),
  },
  {
    name: 'designer',
    path: '/experiments/new',
    ready: (page: Page) => page.getByRole('heading', { name: /new experiment/i }),
  },
  {
    name: 'flags',
    path: '/flags',
    ready: (page: Page) => page.getByRole('heading', { name: 'Feature flags' }),
  },
  {
    name: 'status',
    path: '/status',
    ready: (page: Page) => page.getByRole('heading', { name: 'Faultline status' }),
  },
] as const;

const SIZES = [
  { name: 'wide', width: 1440, height: 1000 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!inject('chromiumPath'))(
  'the main screens, for a look in both themes and on a phone',
  () => {
    let e2e: DashboardE2e;
    beforeAll(async () => {
      e2e = await startDashboard();
    });
    afterAll(async () => {
      await e2e?.close();
    });

    it('draws overview, designer, monitor, flags and status in light and dark, at 1440 and 390 px, never scrolling sideways', async () => {
      e2e.run(5);
      const { context, page } = await e2e.signedIn('sam-sre');
      // A running experiment, for the monitor.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Experiments' })
        .click();
      await page.getByRole('link', { name: 'CPU pressure on checkout' }).click();
      await page.getByRole('button', { name: 'Start' }).click();
      await page.getByText(/^Running: CPU pressure/).waitFor();
      const monitorPath = new URL(page.url()).pathname;
      const screens = [
        ...SCREENS,
        {
          name: 'monitor',
          path: monitorPath,
          ready: (p: Page) =>
            p.getByText(/^Running: CPU pressure|^Aborted|^Halted|^Completed/).first(),
        },
      ];
      for (const theme of ['dark', 'light'] as const) {
        for (const size of SIZES) {
          await page.setViewportSize({ width: size.width, height: size.height });
          for (const screen of screens) {
            await page.goto(`${e2e.url}${screen.path}`);
            await screen.ready(page).waitFor();
            // Charts and fonts settle.
            await page.waitForTimeout(500);
            await page.screenshot({
              path: path.join(artifacts, `screen-${screen.name}-${theme}-${size.name}.png`),
              fullPage: true,
            });
            expect(
              await page.evaluate(() => document.documentElement.scrollWidth),
              `${screen.name} in ${theme} at ${size.width} px`,
            ).toBeLessThanOrEqual(size.width);
          }
        }
        if (theme === 'dark') {
          await page.goto(`${e2e.url}/`);
          await page.getByRole('button', { name: 'Light theme' }).click();
        }
      }
      await context.close();
    });
  },
);
