import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDashboard, type DashboardE2e } from './dashboard-e2e';

/** Every violation the page reports, as the browser saw it (collected before any script runs). */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) seen.push(message.text());
  });
  await page.exposeFunction('reportViolation', (line: string) => seen.push(line));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { reportViolation(line: string): void }).reportViolation;
      report(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  return seen;
}

/** Pages with their own code: charts (recharts), forms, the designer, the public status page. */
const PAGES: { path: string; shows: RegExp }[] = [
  { path: '/', shows: /^Overview$/ },
  { path: '/experiments', shows: /^Experiments$/ },
  { path: '/experiments/new', shows: /experiment/i },
  { path: '/flags', shows: /^Feature flags$/ },
  { path: '/flags/new-checkout', shows: /^new-checkout$/ },
  { path: '/rollouts', shows: /^Rollouts$/ },
  { path: '/gamedays', shows: /^Game days$/ },
  { path: '/audit', shows: /^Audit log$/ },
  { path: '/incidents', shows: /^Incidents$/ },
  { path: '/agents', shows: /^Agents$/ },
  { path: '/notifications', shows: /^Notifications$/ },
];

describe.skipIf(!inject('chromiumPath'))('the Content-Security-Policy in Chromium', () => {
  let e2e: DashboardE2e;
  beforeAll(async () => {
    e2e = await startDashboard();
  });
  afterAll(async () => {
    await e2e?.close();
  });

  it('loads the dashboard, its pages and a running experiment’s charts with no violation', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const first = await page.goto(`${e2e.url}/`);
    const policy = (await first?.allHeaders())?.['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");

    await page.getByRole('button', { name: /Sign in as .*\(admin\)/i }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    for (const { path, shows } of PAGES) {
      await page.goto(`${e2e.url}${path}`);
      await page.getByRole('heading', { level: 1, name: shows }).waitFor();
    }

    // The monitor's charts, drawing live samples.
    e2e.run(10);
    await page.goto(`${e2e.url}/experiments`);
    await page.getByRole('link', { name: 'CPU pressure on checkout' }).click();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('figure', { name: 'CPU' }).getByRole('img').first().waitFor();
    e2e.run(0);

    // The light theme, set before the first paint by the theme script.
    await page.evaluate(() =>
      localStorage.setItem('faultline.view', JSON.stringify({ state: { theme: 'light' } })),
    );
    await page.goto(`${e2e.url}/status`);
    await page.getByRole('region', { name: 'Overall status' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('light'))).toBe(
      true,
    );
    await context.close();

    expect(violations).toEqual([]);
  });

  it('keeps an injected inline script from running, and says so', async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    const violations = await watchViolations(page);
    const response = await page.goto(`${e2e.url}/status`);
    expect((await response?.allHeaders())?.['x-frame-options']).toBe('DENY');
    await page.getByRole('region', { name: 'Overall status' }).waitFor();
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.head.append(script);
      return document.body.dataset.injected ?? 'blocked';
    });
    expect(ran).toBe('blocked');
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.join('\n')).toMatch(/script-src/);
    await context.close();
  });
});
