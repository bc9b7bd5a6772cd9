import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { summarize, type BenchResult } from './bench-result';
import type {} from './monitor-browser/harness';
import { serveFolder } from './static-server';

export const name = 'monitor live update (Chromium)';

const WARM_UP = 20;
const UPDATES = 200;
/** Pause between updates, as a stream would leave (ms); shorter than the real 1 s to keep the run short. */
const SPACING_MS = 100;
const BUDGET_MS = 16;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * The monitor page (6 charts × 3 series, an hour of data) in Chromium: the time one live
 * update takes from the sample's arrival to its layout, and the long tasks (> 50 ms) seen
 * while updates stream in.
 */
export async function run(): Promise<BenchResult[]> {
  if (!existsSync(chromePath))
    throw new Error(`no Chromium at ${chromePath}: apt-get install -y chromium`);
  const outDir = mkdtempSync(path.join(tmpdir(), 'faultline-monitor-bench-'));
  const { build } = await import('vite');
  await build({
    configFile: path.join(root, 'vite.config.ts'),
    root: path.join(root, 'bench/monitor-browser'),
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: path.join(root, 'bench/monitor-browser/index.html') },
    },
  });
  const site = await serveFolder(outDir);
  const browser = await chromium.launch({
    executablePath: chromePath,
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
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${site.url}/index.html`);
    await page.waitForFunction(
      () => window.benchReady === true && document.querySelectorAll('.live-line').length >= 18,
      null,
      {
        timeout: 60_000,
      },
    );
    // Thread time, not wall time: what the main thread spent, whatever else the machine runs.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const taskSeconds = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'TaskDuration')?.value ?? Number.NaN;
    };
    await page.evaluate((o) => window.benchMeasure(o), {
      warmUp: WARM_UP,
      updates: 0,
      spacingMs: SPACING_MS,
    });
    const busyBefore = await taskSeconds();
    const measured = await page.evaluate((o) => window.benchMeasure(o), {
      warmUp: 0,
      updates: UPDATES,
      spacingMs: SPACING_MS,
    });
    const cpuPerUpdateMs = (((await taskSeconds()) - busyBefore) * 1000) / UPDATES;
    if (measured.charts !== 6) throw new Error(`expected 6 charts, found ${measured.charts}`);
    const longTasks = measured.longTasks.length;
    const update = summarize(
      `one update, ${measured.charts} charts × 3 series, ≤ ${measured.maxPoints} points a line (budget on the median)`,
      'ms',
      measured.durations,
      BUDGET_MS,
    );
    return [
      { ...update, pass: update.median <= BUDGET_MS },
      {
        name: 'main-thread time per update, all work included (mean)',
        unit: 'ms',
        median: cpuPerUpdateMs,
        p99: cpuPerUpdateMs,
        budget: BUDGET_MS,
        pass: cpuPerUpdateMs <= BUDGET_MS,
        runs: UPDATES,
      },
      {
        name: 'long tasks > 50 ms while streaming',
        unit: 'count',
        median: longTasks,
        p99: longTasks,
        budget: 0,
        pass: longTasks === 0,
        runs: UPDATES,
      },
    ];
  } finally {
    await browser.close();
    await site.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
