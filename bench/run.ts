import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result';

/**
 * Runs every bench/*.bench.ts (each exports `name` and `run(): Promise<BenchResult[]>`), prints a
 * table and writes bench-results/latest.json. `npm run bench -- abort` runs only the files whose
 * name contains "abort". Exits non-zero only when a benchmark fails to run; a missed budget is
 * printed loudly but is a finding, not an error.
 */
interface BenchModule {
  name: string;
  run(): Promise<BenchResult[]>;
}

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const filter = process.argv.slice(2).find((a) => !a.startsWith('-'));

function isBenchModule(value: unknown): value is BenchModule {
  const candidate = value as Partial<BenchModule>;
  return typeof candidate?.name === 'string' && typeof candidate.run === 'function';
}

const format = (value: number) => (Number.isInteger(value) ? String(value) : value < 10 ? value.toFixed(2) : value.toFixed(1));

async function main(): Promise<number> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
    .sort();
  const rows: (BenchResult & { module: string })[] = [];
  const errors: { file: string; message: string }[] = [];
  for (const file of files) {
    const started = Date.now();
    process.stdout.write(`running ${file}… `);
    try {
      const loaded: unknown = await import(pathToFileURL(path.join(benchDir, file)).href);
      if (!isBenchModule(loaded)) throw new Error('a bench module exports `name` and `run()`');
      const results = await loaded.run();
      rows.push(...results.map((r) => ({ module: loaded.name, ...r })));
      console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      errors.push({ file, message });
      console.log('FAILED');
      console.error(message);
    }
  }

  const header = ['module', 'measure', 'median', 'p99', 'budget (p99)', 'unit', 'runs', ''];
  const table = rows.map((r) => [
    r.module,
    r.name,
    format(r.median),
    format(r.p99),
    r.budget === null ? '—' : `≤ ${format(r.budget)}`,
    r.unit,
    String(r.runs ?? ''),
    r.pass ? 'ok' : 'OVER BUDGET',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of table) console.log(line(row));

  const missed = rows.filter((r) => !r.pass);
  if (missed.length) {
    console.log(`\n!!! ${missed.length} measure(s) OVER BUDGET: ${missed.map((r) => `${r.module} / ${r.name}`).join(', ')} !!!`);
  }
  const outDir = path.join(root, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    path.join(outDir, 'latest.json'),
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, results: rows, errors }, null, 2)}\n`,
  );
  console.log(`\nwritten to bench-results/latest.json`);
  return errors.length ? 1 : 0;
}

// Exit even if a benchmark left a handle open: the results are written.
process.exit(await main());
