import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  artifacts,
  eventually,
  pointsDrawn,
  startDashboard,
  type DashboardE2e,
} from './dashboard-e2e';

describe.skipIf(!inject('chromiumPath'))('the live monitor in Chromium', () => {
  let e2e: DashboardE2e;
  beforeAll(async () => {
    e2e = await startDashboard();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('starts the sample CPU experiment, draws it live, and shows it abort by itself with the tripped condition', async () => {
    e2e.run(10);
    const { page } = await e2e.signedIn('sam-sre');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Experiments' })
      .click();
    await page.getByRole('link', { name: 'CPU pressure on checkout' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByText(/^Running: CPU pressure at 50 % on checkout in staging/).waitFor();

    const early = await eventually(
      () => pointsDrawn(page, 'CPU', 'target'),
      (n) => n > 3,
    );
    const later = await eventually(
      () => pointsDrawn(page, 'CPU', 'target'),
      (n) => n > early + 10,
    );
    expect(later).toBeGreaterThan(early);
    expect(
      await page
        .getByRole('figure', { name: '5xx rate' })
        .getByRole('img', { name: /^abort threshold: 5xx rate > 1 %/ })
        .count(),
    ).toBe(1);
    await page.screenshot({ path: path.join(artifacts, 'monitor-running.png'), fullPage: true });

    // The second step (60 %) saturates the attacked containers; the server aborts on its own.
    const verdict = page.getByRole('alert').filter({ hasText: /^Aborted at/ });
    await verdict.waitFor({ timeout: 60_000 });
    expect(await verdict.textContent()).toMatch(
      new RegExp(
        String.raw`Aborted at [\d:]+: (5xx rate > 1 % for 10 s — value [\d.]+ %, threshold 1 %|` +
          String.raw`error rate rises by more than 2 percentage points within 30 s — ` +
          String.raw`rose by [\d.]+ percentage points)`,
      ),
    );
    await page.getByRole('img', { name: 'marker: aborted' }).first().waitFor({ state: 'attached' });
    await page.screenshot({ path: path.join(artifacts, 'monitor-aborted.png'), fullPage: true });

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    const stops = page.getByRole('region', { name: 'Recent aborts and halts' });
    await stops.getByText('CPU pressure on checkout').first().waitFor();
    await page.getByRole('table').getByRole('rowheader', { name: 'checkout' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'overview.png'), fullPage: true });
  });
});
