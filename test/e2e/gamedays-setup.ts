import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import type { ExperimentSpecInput } from '../../src/domain';

export const artifacts = path.resolve(import.meta.dirname, '../../test-artifacts');
const root = path.resolve(import.meta.dirname, '../..');

export interface GamedaysE2e {
  url: string;
  faultline: FaultlineApp;
  browser: Browser;
  /** A bearer token for a demo user, for arranging things through the API. */
  tokenFor(user: string): Promise<string>;
  api<T>(method: string, route: string, body?: unknown, user?: string): Promise<T>;
  close(): Promise<void>;
}

/**
 * The real server on a loopback port (real clock, one tick a second) serving the dashboard
 * built from this checkout, and Chromium.
 */
export async function startGamedaysE2e(): Promise<GamedaysE2e> {
  mkdirSync(artifacts, { recursive: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'faultline-gamedays-e2e-'));
  const dashboardDir = path.join(dir, 'dist');
  await build({ root, logLevel: 'warn', build: { outDir: dashboardDir, emptyOutDir: true } });
  const faultline = await buildApp({
    config: { dataDir: dir, host: '127.0.0.1', port: 0 },
    database: path.join(dir, 'faultline.sqlite'),
    dashboardDir,
    sampleData: false,
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
    const known = tokens.get(user);
    if (known) return known;
    const response = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user }),
    });
    const { token } = (await response.json()) as { token: string };
    tokens.set(user, token);
    return token;
  };
  return {
    url,
    faultline,
    browser,
    tokenFor,
    async api<T>(method: string, route: string, body?: unknown, user = 'sam-sre'): Promise<T> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await tokenFor(user)}`,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
      return (text ? JSON.parse(text) : null) as T;
    },
    async close() {
      await browser.close();
      await faultline.app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, url: string, who = 'Sam (SRE)'): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.getByRole('link', { name: 'Game days' }).first().waitFor();
}

/** Errors on every checkout container in staging: trips "5xx rate > 1 % for 3 s" within seconds. */
export function errorBurst(): ExperimentSpecInput {
  return {
    name: 'Error burst on checkout',
    hypothesis: 'Checkout retries hide a 20 % error rate from its users.',
    environment: 'staging',
    service: 'checkout',
    blastRadius: {
      scope: 'containers',
      selector: {},
      mode: 'percent',
      value: 50,
      source: { kind: 'selector' },
    },
    attack: { type: 'error' },
    steps: [{ magnitude: 20, durationSeconds: 300 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'http_5xx_rate',
        comparator: '>',
        threshold: 1,
        windowSeconds: 3,
        scope: 'target',
      },
    ],
  };
}

/** Mild latency on catalog that stays inside its limit until someone stops it. */
export function mildLatency(): ExperimentSpecInput {
  return {
    ...errorBurst(),
    name: 'Latency on catalog',
    hypothesis: 'Catalog answers within 1 s with 100 ms added.',
    service: 'catalog',
    attack: { type: 'latency' },
    steps: [{ magnitude: 100, durationSeconds: 600 }],
    abortConditions: [
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 5000,
        windowSeconds: 10,
        scope: 'target',
      },
    ],
  };
}

/** "2025-01-06T09:04" for a datetime-local input, in the browser's (and this machine's) time zone. */
export function localInput(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
