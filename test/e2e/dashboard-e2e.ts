import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';

export const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');

export interface DashboardE2e {
  url: string;
  faultline: FaultlineApp;
  browser: Browser;
  /**
   * Lets the server's time run at `speed` × real time (one tick of 1 s every 1000 / speed ms);
   * 0 stops it. Ramps of minutes play out in seconds, tick by tick, as the engine would see them.
   */
  run: (speed: number) => void;
  /** A fresh browser (its own storage, like a second person) signed in as `user`. */
  signedIn: (user: string) => Promise<{ context: BrowserContext; page: Page }>;
  close: () => Promise<void>;
}

/** The real server (with its sample data) on a loopback port, serving the dashboard built for this run, and Chromium. */
export async function startDashboard(): Promise<DashboardE2e> {
  const chromiumPath = inject('chromiumPath');
  if (!chromiumPath) throw new Error('no Chromium');
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-dashboard-e2e-'));
  const clock = new ManualClock(Date.now());
  const faultline = await buildApp({
    config: { dataDir: dir, host: '127.0.0.1', port: 0, tickMs: 1000 },
    database: path.join(dir, 'faultline.sqlite'),
    clock,
    dashboardDir: inject('dashboardDir'),
  });
  const url = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  let pump: ReturnType<typeof setInterval> | null = null;
  mkdirSync(artifacts, { recursive: true });

  return {
    url,
    faultline,
    browser,
    run(speed) {
      if (pump) clearInterval(pump);
      pump = speed > 0 ? setInterval(() => clock.advance(1000), 1000 / speed) : null;
    },
    async signedIn(user) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      await page.goto(`${url}/`);
      await page
        .getByRole('button', { name: new RegExp(`Sign in as .*\\(${roleOf(user)}\\)`, 'i') })
        .click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      return { context, page };
    },
    async close() {
      if (pump) clearInterval(pump);
      await browser.close();
      await faultline.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function roleOf(user: string): string {
  const roles: Record<string, string> = {
    'ada-admin': 'admin',
    'sam-sre': 'SRE',
    'dev-dana': 'developer',
    'vic-viewer': 'viewer',
  };
  return roles[user] ?? user;
}

/** How many points the named line of a chart draws now. */
export async function pointsDrawn(page: Page, chart: string, line: string): Promise<number> {
  const d = await page
    .getByRole('figure', { name: chart })
    .getByRole('img', { name: `${line} line` })
    .getAttribute('d');
  return (d ?? '').split(/[ML]/).length - 1;
}

/** Polls `read` until `accept` holds (at most `timeoutMs`). */
export async function eventually<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
