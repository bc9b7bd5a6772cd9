import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';

export interface DesignerE2e {
  url: string;
  faultline: FaultlineApp;
  clock: ManualClock;
  /** Moves the server's time on, one tick at a time, so the engine and the stream see every tick. */
  advance: (ms: number) => void;
  browser: Browser;
  close: () => Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The real server on a loopback port with the dashboard built from this checkout, a clock the
 * test moves (a 4-minute ramp runs in a moment), and Chromium.
 */
export async function startDesignerE2e(): Promise<DesignerE2e> {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-designer-e2e-'));
  const dashboardDir = path.join(dir, 'dist');
  await build({ root, logLevel: 'warn', build: { outDir: dashboardDir, emptyOutDir: true } });
  const clock = new ManualClock(Date.now());
  const faultline = await buildApp({
    config: { dataDir: dir, host: '127.0.0.1', port: 0 },
    database: path.join(dir, 'faultline.sqlite'),
    clock,
    dashboardDir,
    sampleData: false,
  });
  const address = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
  const tickMs = faultline.context.config.tickMs;
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    url: address,
    faultline,
    clock,
    advance(ms) {
      for (let moved = 0; moved < ms; moved += tickMs) clock.advance(tickMs);
    },
    browser,
    async close() {
      await browser.close();
      await faultline.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
