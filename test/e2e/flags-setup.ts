import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { buildApp, type FaultlineApp } from '../../mock-server/app';

export const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');

export interface FlagsE2e {
  url: string;
  faultline: FaultlineApp;
  browser: Browser;
  /** A call to the API as `user`, as another person would make it. */
  api<T>(method: string, url: string, user: string, body?: unknown): Promise<T>;
  /** An OFREP evaluation over real HTTP with the environment's key, as an application makes it. */
  ofrep(
    environment: string,
    key: string,
    context: Record<string, string>,
  ): Promise<{ value?: unknown; variant?: string; reason?: string; errorCode?: string }>;
  close(): Promise<void>;
}

/** The real server on a loopback port (SQLite in a temporary folder), the dashboard built from this checkout, and Chromium. */
export async function startFlagsE2e(): Promise<FlagsE2e> {
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-flags-e2e-'));
  const dashboardDir = path.join(dir, 'dist');
  await build({
    root: path.resolve(import.meta.dirname, '../..'),
    logLevel: 'warn',
    build: { outDir: dashboardDir, emptyOutDir: true },
  });
  const faultline = await buildApp({
    config: { dataDir: dir, host: '127.0.0.1', port: 0 },
    database: path.join(dir, 'faultline.sqlite'),
    dashboardDir,
    sampleData: false,
    ticking: false,
  });
  const url = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
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
  const tokens = new Map<string, string>();
  const tokenFor = async (user: string) => {
    if (!tokens.has(user)) {
      const answer = await fetch(`${url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user }),
      });
      tokens.set(user, ((await answer.json()) as { token: string }).token);
    }
    return tokens.get(user) as string;
  };
  const ofrepKeys = new Map<string, string>();
  const api = async <T>(method: string, path: string, user: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${await tokenFor(user)}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const answer = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!answer.ok) throw new Error(`${method} ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  return {
    url,
    faultline,
    browser,
    api,
    async ofrep(environment, key, context) {
      // A key is shown only in the answer that makes it: one per environment, made on first use.
      let apiKey = ofrepKeys.get(environment);
      if (!apiKey) {
        const made = await api<{ key: string }>(
          'POST',
          `/api/v1/ofrep-keys/${environment}/rotate`,
          'ada-admin',
          {},
        );
        apiKey = made.key;
        ofrepKeys.set(environment, apiKey);
      }
      const answer = await fetch(`${url}/ofrep/v1/evaluate/flags/${key}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify({ context }),
      });
      return (await answer.json()) as {
        value?: unknown;
        variant?: string;
        reason?: string;
        errorCode?: string;
      };
    },
    async close() {
      await browser.close();
      await faultline.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
