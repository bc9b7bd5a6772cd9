import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result';

/**
 * Runs one bench/*.bench.ts in this process and sends its results to the parent (bench/run.ts),
 * so that every benchmark starts in a fresh process: no heap, JIT state or open handles left
 * by the one before.
 */
interface BenchModule {
  name: string;
  run(): Promise<BenchResult[]>;
}

export type RunOneMessage =
  { ok: true; name: string; results: BenchResult[] } | { ok: false; message: string };

function isBenchModule(value: unknown): value is BenchModule {
  const candidate = value as Partial<BenchModule>;
  return typeof candidate?.name === 'string' && typeof candidate.run === 'function';
}

async function runOne(file: string): Promise<RunOneMessage> {
  try {
    const loaded: unknown = await import(
      pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), file)).href
    );
    if (!isBenchModule(loaded)) throw new Error('a bench module exports `name` and `run()`');
    return { ok: true, name: loaded.name, results: await loaded.run() };
  } catch (error) {
    return {
      ok: false,
      message: error instanceof Error ? (error.stack ?? error.message) : String(error),
    };
  }
}

const file = process.argv[2];
if (!file || !process.send) throw new Error('bench/run-one.ts is started by bench/run.ts');
const message = await runOne(file);
// Exit even if a benchmark left a handle open: the results are sent.
process.send(message, () => process.exit(0));
