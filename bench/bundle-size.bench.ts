import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result';
import { appRoutes, gzippedBytes, initialFiles, type Manifest } from './bundle-routes';

export const name = 'initial JS per route';

/** Everything a route needs before it draws, gzipped, in KB (the monitor route included). */
const BUDGET_KB = 250;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the dashboard into a temporary folder and measures each route's initial JavaScript. */
export async function run(): Promise<BenchResult[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'faultline-bundle-'));
  try {
    const { build } = await import('vite');
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: true } });
    const manifest = JSON.parse(
      readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Manifest;
    return appRoutes(root).map((route) => {
      const kb = Math.round((gzippedBytes(outDir, initialFiles(manifest, route)) / 1024) * 10) / 10;
      return {
        name: `${route.path} gzipped`,
        unit: 'KB',
        median: kb,
        p99: kb,
        budget: BUDGET_KB,
        pass: kb <= BUDGET_KB,
        runs: 1,
      };
    });
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
