import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** `npm start`'s server as a process; resolves with how it ended (at most 30 s). */
function startServer(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'mock-server/index.ts'], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not stop within 30 s\n${stdout}\n${stderr}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-start-up-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function occupiedPort(): Promise<number> {
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => holder.close());
  const address = holder.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('starting the server', () => {
  it('says in one line that the port is taken, and how to pick another, when it is', async () => {
    const port = await occupiedPort();
    const ended = await startServer({ PORT: String(port), FAULTLINE_DATA: tempDir() });
    expect(ended.code).toBe(1);
    expect(ended.stderr.trim()).toBe(
      `faultline: port ${port} on 127.0.0.1 is already in use (another Faultline?). ` +
        `Stop it, or start on another port: PORT=${port + 1} npm start`,
    );
  }, 40_000);

  it('says which database it cannot open, and what to set, when the data folder cannot be made', async () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const ended = await startServer({ PORT: '0', FAULTLINE_DATA: path.join(file, 'data') });
    expect(ended.code).toBe(1);
    expect(ended.stderr.trim()).toMatch(
      /^faultline: cannot open the database .*a-file\/data\/faultline\.sqlite: ENOTDIR.*Set FAULTLINE_DATA to a folder you can write to\.$/,
    );
  }, 40_000);
});
