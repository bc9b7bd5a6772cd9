import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/domain';
import { artifacts, errorBurst, startGamedaysE2e, type GamedaysE2e } from './gamedays-setup';

let e2e: GamedaysE2e;

beforeAll(async () => {
  e2e = await startGamedaysE2e();
});

afterAll(async () => {
  await e2e?.close();
});

/** Waits (at most `seconds`) for the engine to abort the experiment and open its incident. */
async function openIncident(seconds: number): Promise<Incident> {
  for (let i = 0; i < seconds * 4; i++) {
    const { incidents } = await e2e.api<{ incidents: Incident[] }>('GET', '/api/v1/incidents');
    const open = incidents.find((incident) => incident.state === 'open');
    if (open) return open;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no incident opened within ${seconds} s`);
}

describe('the public status page in the browser', () => {
  it('shows the incident an abort opened to someone who never signed in, and its resolution live', async () => {
    const experiment = await e2e.api<{ id: string; version: number }>(
      'POST',
      '/api/v1/experiments',
      errorBurst(),
    );
    await e2e.api('POST', `/api/v1/experiments/${experiment.id}/start`, {
      version: experiment.version,
    });
    const incident = await openIncident(30);

    // A fresh context: no token, no storage.
    const context = await e2e.browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(`${e2e.url}/status`);
    const card = page.getByRole('article', { name: incident.title });
    await card.waitFor();
    expect(page.url()).toBe(`${e2e.url}/status`);
    expect(await page.title()).toBe('Faultline status');
    expect(await card.textContent()).toContain(
      '% of requests were failing, past the limit set for the test',
    );
    expect(await card.textContent()).toContain('Open');
    expect(await page.getByRole('region', { name: 'Overall status' }).textContent()).toContain(
      '1 open incident',
    );
    expect(
      await page
        .getByRole('article', { name: 'checkout' })
        .getByRole('img')
        .getAttribute('aria-label'),
    ).toMatch(/^checkout, last 90 days: /);
    // Its own small bundle: no router, no monitor, no charts.
    expect(scripts.some((url) => /status-main|status-[\w-]+\.js/.test(url))).toBe(true);
    expect(scripts.some((url) => /monitor|recharts|signed-in-layout/.test(url))).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'status-wall.png'), fullPage: true });

    // Resolved by the team; the page notices by itself.
    await e2e.api('POST', `/api/v1/incidents/${incident.id}/resolve`, {
      version: incident.version,
      text: 'Retry budget lowered; checkout is healthy.',
    });
    await card.getByText('Retry budget lowered; checkout is healthy.').waitFor({ timeout: 15_000 });
    expect(await card.textContent()).toContain('Resolved');

    const phone = await e2e.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
    });
    const small = await phone.newPage();
    await small.goto(`${e2e.url}/status`);
    await small.getByRole('article', { name: incident.title }).waitFor();
    await small.screenshot({ path: path.join(artifacts, 'status-phone.png'), fullPage: true });
    await phone.close();
    await context.close();
  });
});
