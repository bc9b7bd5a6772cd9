import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '../..');

/**
 * Snippets that break a habit, each in the folder it would sit in. They are linted in a copy
 * of the project's lint setup (eslint.config.js, eslint/, tsconfig.json) in a directory of
 * their own, so the real tree never holds a file that fails lint.
 */
const SNIPPETS: Record<string, string> = {
  'src/lib/circle-a.ts':
    "import { b } from './circle-b';\nexport const a = (): number => b() + 1;\n",
  'src/lib/circle-b.ts':
    "import { a } from '@/lib/circle-a';\nexport const b = (): number => (Date.now() < 0 ? a() : 0);\n",
  'mock-server/circle-a.ts':
    "import { b } from './circle-b';\nexport const a = (): number => b() + 1;\n",
  'mock-server/circle-b.ts':
    "import { a } from './circle-a';\nexport const b = (): number => (Date.now() < 0 ? a() : 0);\n",
  // The old backend circle: the interface took types from the implementation, which took its own.
  'src/backend/type-circle-a.ts':
    "import type { B } from './type-circle-b';\nexport interface A {\n  b?: B;\n}\n",
  'src/backend/type-circle-b.ts':
    "import type { A } from '@/backend/type-circle-a';\nexport interface B {\n  a?: A;\n}\n",
  'src/lib/floating.ts':
    'async function save(): Promise<void> {}\nexport function press(): void {\n  save();\n}\n',
  'mock-server/floating.ts':
    'export function tick(next: () => Promise<number>): void {\n  next().then((n) => n + 1);\n}\n',
  'agent/floating.ts': 'export function stop(end: () => Promise<void>): void {\n  end();\n}\n',
  'test/floating.test.ts':
    'export function close(server: { close(): Promise<void> }): void {\n  server.close();\n}\n',
  'bench/floating.bench.ts':
    'export function run(tick: () => Promise<number>): void {\n  tick().then((n) => n + 1);\n}\n',
  'src/features/probe/load.ts': [
    'export const a = (): Promise<Response> => fetch("/api/v1/fleet");',
    'export const b = (): Promise<Response> => window.fetch("/api/v1/fleet");',
    'export const c = (): Promise<Response> => globalThis.fetch("/api/v1/fleet");',
    'export const d = (): EventSource => new EventSource("/api/v1/stream");',
    '',
  ].join('\n'),
  'src/backend/http/probe.ts':
    'export const load = (): Promise<Response> => fetch("/api/v1/fleet");\n',
  'src/backend/capabilities/probe.ts':
    "import type { Probe } from '../http/probe-types';\nexport type Wrapped = { probe: Probe };\n",
  'src/backend/http/probe-types.ts': 'export interface Probe {\n  id: string;\n}\n',
  'src/lib/clean.ts':
    "import { load } from '@/backend/http/probe';\n" +
    'export async function fine(): Promise<number> {\n  await Promise.resolve();\n  return 1;\n}\n' +
    'export const unused = load;\n',
  'src/features/probe/clean.ts':
    'export async function fine(work: () => Promise<void>): Promise<void> {\n  await work();\n  void work();\n}\n',
};

let dir: string;
let results: Map<string, ESLint.LintResult>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'faultline-lint-'));
  for (const file of ['eslint.config.js', 'tsconfig.json', '.prettierrc.json'])
    cpSync(path.join(repo, file), path.join(dir, file));
  cpSync(path.join(repo, 'eslint'), path.join(dir, 'eslint'), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(SNIPPETS)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  const eslint = new ESLint({ cwd: dir });
  const linted = await eslint.lintFiles(Object.keys(SNIPPETS));
  results = new Map(linted.map((r) => [path.relative(dir, r.filePath), r]));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The rules a snippet broke, once each, in order. */
function broken(file: string): string[] {
  const result = results.get(file);
  if (!result) throw new Error(`${file} was not linted`);
  return [...new Set(result.messages.map((m) => m.ruleId ?? m.message))];
}

describe('npm run lint', () => {
  it('fails on an import circle, in the dashboard and in the server', () => {
    for (const file of ['src/lib/circle-a.ts', 'src/lib/circle-b.ts', 'mock-server/circle-a.ts'])
      expect(broken(file), file).toEqual(['faultline/import-circles']);
    const [message] = results.get('src/lib/circle-a.ts')?.messages ?? [];
    expect(message?.message).toBe(
      'Import circle: src/lib/circle-a.ts → src/lib/circle-b.ts → src/lib/circle-a.ts.',
    );
  });

  it('fails on a circle that runs only through type imports', () => {
    expect(broken('src/backend/type-circle-a.ts')).toEqual(['faultline/import-circles']);
    expect(broken('src/backend/type-circle-b.ts')).toEqual(['faultline/import-circles']);
  });

  it('fails on a promise nobody awaits, in the dashboard, the server, the agent, tests and benches', () => {
    for (const file of [
      'src/lib/floating.ts',
      'mock-server/floating.ts',
      'agent/floating.ts',
      'test/floating.test.ts',
      'bench/floating.bench.ts',
    ])
      expect(broken(file), file).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('fails on fetch or a stream opened outside the HTTP adapter, however it is reached', () => {
    const messages = results.get('src/features/probe/load.ts')?.messages ?? [];
    expect(messages.map((m) => [m.line, m.ruleId])).toEqual([
      [1, 'no-restricted-globals'],
      [2, 'no-restricted-properties'],
      [3, 'no-restricted-properties'],
      [4, 'no-restricted-globals'],
    ]);
    expect(broken('src/backend/http/probe.ts')).toEqual([]);
  });

  it('fails when the adapter interface, or code over it, imports the HTTP implementation', () => {
    expect(broken('src/backend/capabilities/probe.ts')).toEqual(['faultline/boundaries']);
    expect(broken('src/lib/clean.ts')).toEqual(['faultline/boundaries']);
  });

  it('passes code that keeps the habits', () => {
    expect(broken('src/features/probe/clean.ts')).toEqual([]);
  });

  it('fails on an unformatted file: the script checks formatting with prettier', async () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.lint).toMatch(/\bprettier --check \.(\s|$)/);
    const options = await prettier.resolveConfig(path.join(repo, 'src/lib/any.ts'));
    const check = (text: string) => prettier.check(text, { ...options, filepath: 'any.ts' });
    expect(await check('export const x    = 1\n')).toBe(false);
    expect(await check('export const x = 1;\n')).toBe(true);
  });
});
