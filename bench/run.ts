import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import type { BenchResult } from './bench-result';
import type { RunOneMessage } from './run-one';

/**
 * Runs every bench/*.bench.ts (each exports `name` and `run(): Promise<BenchResult[]>`), each in
 * a process of its own so one cannot slow the next (bench/run-one.ts), prints a
 * table and writes bench-results/latest.json. `npm run bench -- abort` runs only the files whose
 * name contains "abort". Exits non-zero only when a benchmark fails to run; a missed budget is
 * printed loudly but is a finding, not an error.
 */
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const filter = process.argv.slice(2).find((a) => !a.startsWith('-'));

/** Runs one benchmark file in a child process of its own (bench/run-one.ts). */
function runInChild(file: string): Promise<RunOneMessage> {
  return new Promise((resolve) => {
    const child = fork(path.join(benchDir, 'run-one.ts'), [file], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    let answer: RunOneMessage | null = null;
    child.on('message', (message: RunOneMessage) => (answer = message));
    child.on('exit', (code) =>
      resolve(
        answer ?? {
          ok: false,
          message: `the benchmark process exited with ${code} before answering`,
        },
      ),
    );
  });
}

const format = (value: number) =>
  Number.isInteger(value) ? String(value) : value < 10 ? value.toFixed(2) : value.toFixed(1);

async function main(): Promise<number> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
    .sort();
  const rows: (BenchResult & { module: string })[] = [];
  const errors: { file: string; message: string }[] = [];
  for (const file of files) {
    const started = Date.now();
    process.stdout.write(`running ${file}… `);
    const answer = await runInChild(file);
    if (answer.ok) {
      rows.push(...answer.results.map((r) => ({ module: answer.name, ...r })));
      console.log(`${((Date.now() - started) / 1000).toFixed(1)} s`);
    } else {
      errors.push({ file, message: answer.message });
      console.log('FAILED');
      console.error(answer.message);
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
  const widths = header.map((h, i) =>
    Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const row of table) console.log(line(row));

  const missed = rows.filter((r) => !r.pass);
  if (missed.length) {
    console.log(
      `\n!!! ${missed.length} measure(s) OVER BUDGET: ${missed.map((r) => `${r.module} / ${r.name}`).join(', ')} !!!`,
    );
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
