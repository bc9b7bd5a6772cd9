import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifacts, startDashboard, type DashboardE2e } from './dashboard-e2e';

describe.skipIf(!inject('chromiumPath'))('Halt all in Chromium', () => {
  let e2e: DashboardE2e;
  beforeAll(async () => {
    e2e = await startDashboard();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('stops two running experiments with one press, and a second browser sees the same halt', async () => {
    // Real time: nothing here waits on the ramp, and nothing may abort before the press.
    e2e.run(1);
    const sre = await e2e.signedIn('sam-sre');
    const viewer = await e2e.signedIn('vic-viewer');
    const running = viewer.page.getByRole('region', { name: /Running now/ });

    for (const name of ['CPU pressure on checkout', /^Latency from payments/]) {
      await sre.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Experiments' })
        .click();
      await sre.page.getByRole('link', { name }).click();
      await sre.page.getByRole('button', { name: 'Start' }).click();
      await sre.page.getByRole('button', { name: 'Halt', exact: true }).waitFor();
    }
    // The viewer's overview learns of both from the stream, without reloading.
    await running.getByRole('heading', { name: 'Running now (2)' }).waitFor();
    await viewer.page.screenshot({
      path: path.join(artifacts, 'overview-running.png'),
      fullPage: true,
    });

    const haltAll = sre.page.getByRole('button', { name: /halt all/i });
    const before = await haltAll.boundingBox();
    await haltAll.click();
    await sre.page.getByText('Halted 2 experiments').waitFor();
    // The result must not push the button: a second press lands on it, not on the Scope menu.
    expect(await haltAll.boundingBox()).toEqual(before);
    await sre.page.screenshot({ path: path.join(artifacts, 'halt-all-confirmed.png') });

    await running.getByText('Nothing is running.').waitFor({ timeout: 5_000 });
    const stops = viewer.page.getByRole('region', { name: 'Recent aborts and halts' });
    await stops
      .getByText(/by sam-sre \(Halt all\)/)
      .nth(1)
      .waitFor({ timeout: 5_000 });
    expect(await stops.getByText(/by sam-sre \(Halt all\)/).count()).toBe(2);
    await viewer.page.screenshot({
      path: path.join(artifacts, 'halt-all-second-browser.png'),
      fullPage: true,
    });
  });
});
