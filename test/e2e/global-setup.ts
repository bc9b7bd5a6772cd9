import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The dashboard built from this checkout, for the server to serve. */
    dashboardDir: string;
    /** Chromium to drive, or null when this machine has none (the tests skip). */
    chromiumPath: string | null;
  }
}

const root = path.resolve(import.meta.dirname, '../..');
const dashboardDir = path.join(root, 'test-artifacts/e2e-dist');
const SOURCES = ['src', 'public', 'index.html', 'status.html', 'vite.config.ts', 'package.json'];

function newestChange(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(entry).reduce(
    (newest, name) => Math.max(newest, newestChange(path.join(entry, name))),
    stat.mtimeMs,
  );
}

/** Builds the dashboard once per run, only when a source is newer than the last build. */
async function buildIfNeeded(): Promise<void> {
  const built = path.join(dashboardDir, 'index.html');
  const sourcesChangedAt = Math.max(...SOURCES.map((s) => newestChange(path.join(root, s))));
  if (existsSync(built) && statSync(built).mtimeMs > sourcesChangedAt) return;
  const { build } = await import('vite');
  await build({ root, logLevel: 'warn', build: { outDir: dashboardDir, emptyOutDir: true } });
}

function findChromium(): string | null {
  const candidate = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
}

export default async function setup(project: TestProject): Promise<void> {
  const chromiumPath = findChromium();
  if (!chromiumPath) {
    const message =
      `Chromium not found at ${process.env.CHROME_PATH ?? '/usr/bin/chromium'} ` +
      '(set CHROME_PATH, or: apt-get install -y chromium)';
    if (process.env.CI === 'true') throw new Error(`end-to-end tests need Chromium. ${message}`);
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!!! SKIPPING the end-to-end tests: ${message}\n${bar}\n`);
  } else {
    await buildIfNeeded();
  }
  project.provide('dashboardDir', dashboardDir);
  project.provide('chromiumPath', chromiumPath);
}
