import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './bench-result';
import { gzippedBytes, type Manifest } from './bundle-routes';

export const name = 'status page JS';

/** The public status page's JavaScript before it draws, gzipped, in KB. */
const BUDGET_KB = 120;
const STATUS_ENTRY = 'status.html';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The entry's file and every chunk it imports statically, transitively. */
function closure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) closure(manifest, imported, into);
  return into;
}

/**
 * Builds the dashboard into a temporary folder and measures what a fresh load of /status
 * runs: the standalone status.html entry and its static imports, gzipped. Also counts the
 * files among them carrying chart code (recharts), which the page must not load.
 */
export async function run(): Promise<BenchResult[]> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'faultline-status-bundle-'));
  try {
    const { build } = await import('vite');
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: true } });
    const manifest = JSON.parse(
      readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'),
    ) as Manifest;
    if (!manifest[STATUS_ENTRY]?.isEntry) throw new Error(`the build has no ${STATUS_ENTRY} entry`);
    const files = [...closure(manifest, STATUS_ENTRY)].filter((f) => f.endsWith('.js'));
    const kb = Math.round((gzippedBytes(outDir, files) / 1024) * 10) / 10;
    const chartFiles = files.filter((file) =>
      readFileSync(path.join(outDir, file), 'utf8').includes('recharts-'),
    ).length;
    return [
      {
        name: '/status gzipped',
        unit: 'KB',
        median: kb,
        p99: kb,
        budget: BUDGET_KB,
        pass: kb <= BUDGET_KB,
        runs: 1,
      },
      {
        name: '/status files with chart code',
        unit: 'files',
        median: chartFiles,
        p99: chartFiles,
        budget: 0,
        pass: chartFiles === 0,
        runs: 1,
      },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
