import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serveFolder } from '../../bench/static-server';
import { buildApp, type FaultlineApp } from '../../mock-server/app';

/**
 * A team's own web application reads Faultline's flags with the OpenFeature web SDK and the
 * OFREP web provider, served from another origin (so CORS is real), in Chromium.
 */
describe.skipIf(!inject('chromiumPath'))('a browser app on the OpenFeature web SDK', () => {
  let dir: string;
  let faultline: FaultlineApp;
  let serverUrl: string;
  let shop: { url: string; close: () => Promise<void> };
  let browser: Browser;
  let adminToken: string;
  let productionKey: string;

  const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const answer = await fetch(`${serverUrl}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!answer.ok) throw new Error(`${method} ${url}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };

  /** What the server itself answers for one evaluation, over OFREP. */
  const serverSays = async (context: Record<string, string>) => {
    const answer = await fetch(`${serverUrl}/ofrep/v1/evaluate/flags/new-checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': productionKey },
      body: JSON.stringify({ context }),
    });
    return (await answer.json()) as { value: boolean; reason: string; variant: string };
  };

  /** Every URL each page asked for, from before it loaded. */
  const asked = new Map<Page, string[]>();

  async function openShop(
    user: string,
    email: string,
    changes: { poll?: string; detect?: 'sse' | 'polling' } = {},
  ): Promise<Page> {
    const page = await browser.newPage();
    const urls: string[] = [];
    asked.set(page, urls);
    page.on('request', (request) => urls.push(request.url()));
    const query = new URLSearchParams({
      ofrep: serverUrl,
      key: productionKey,
      user,
      email,
      poll: changes.poll ?? '300',
      detect: changes.detect ?? 'sse',
    });
    await page.goto(`${shop.url}/?${query}`);
    return page;
  }

  const shown = async (page: Page) => {
    const output = page.locator('#new-checkout');
    await expect.poll(() => output.textContent(), { timeout: 10_000 }).not.toBe('loading');
    return {
      value: await output.textContent(),
      reason: await output.getAttribute('data-reason'),
      variant: await output.getAttribute('data-variant'),
      error: await output.getAttribute('data-error'),
    };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'faultline-ofrep-web-'));
    const appDir = path.join(dir, 'shop');
    await build({
      root: path.resolve(import.meta.dirname, 'ofrep-web-app'),
      configFile: false,
      logLevel: 'warn',
      build: { outDir: appDir, emptyOutDir: true },
    });
    shop = await serveFolder(appDir);
    faultline = await buildApp({
      config: { dataDir: dir, host: '127.0.0.1', port: 0 },
      database: path.join(dir, 'faultline.sqlite'),
      ticking: false,
    });
    serverUrl = await faultline.app.listen({ port: 0, host: '127.0.0.1' });
    const session = await fetch(`${serverUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'ada-admin' }),
    });
    adminToken = ((await session.json()) as { token: string }).token;
    // A key is shown only in the answer that makes it.
    productionKey = (await api<{ key: string }>('POST', '/api/v1/ofrep-keys/production/rotate', {}))
      .key;
    browser = await chromium.launch({
      executablePath: inject('chromiumPath') ?? undefined,
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
  });

  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await faultline?.app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets what the server decides: on for an employee, the rollout’s answer for an outsider', async () => {
    const employee = await openShop('user-7', 'ana@faultline.dev');
    expect(await shown(employee)).toEqual({
      value: 'true',
      reason: 'TARGETING_MATCH',
      variant: 'on',
      error: '',
    });

    // Outsiders land wherever the sticky rollout puts them: one the server puts on and one it
    // puts off, and the page agrees with the server on both.
    const outsiders: { user: string; server: Awaited<ReturnType<typeof serverSays>> }[] = [];
    for (let i = 1; i <= 200 && outsiders.length < 2; i++) {
      const server = await serverSays({
        targetingKey: `user-${i}`,
        email: 'bo@initech.example',
        country: '',
      });
      if (!outsiders.some((o) => o.server.value === server.value))
        outsiders.push({ user: `user-${i}`, server });
    }
    expect(outsiders.map((o) => o.server.value).sort()).toEqual([false, true]);
    for (const { user, server } of outsiders) {
      const outsider = await openShop(user, 'bo@initech.example');
      expect(await shown(outsider)).toEqual({
        value: String(server.value),
        reason: server.reason,
        variant: server.variant,
        error: '',
      });
      await outsider.close();
    }
    await employee.close();
  });

  it('sees a flag turned off while the page is open, on its next poll, with the off value', async () => {
    const employee = await openShop('user-7', 'ana@faultline.dev', { detect: 'polling' });
    expect((await shown(employee)).value).toBe('true');

    await api('POST', '/api/v1/flags/new-checkout/kill', { environment: 'production' });

    const output = employee.locator('#new-checkout');
    await expect
      .poll(() => output.getAttribute('data-reason'), { timeout: 10_000 })
      .toBe('DISABLED');
    expect(await shown(employee)).toEqual({
      value: 'false',
      reason: 'DISABLED',
      variant: 'off',
      error: '',
    });
    // It polled: it never opened the event stream.
    expect(asked.get(employee)?.some((url) => url.includes('/ofrep/v1/event-stream'))).toBe(false);
    await employee.close();
  });

  it('learns of a kill from the event stream, without polling, and fetches again at once', async () => {
    await api('POST', '/api/v1/flags/new-checkout/enable', { environment: 'production' });
    const employee = await openShop('user-7', 'ana@faultline.dev', { poll: '0' });
    const urls = asked.get(employee) ?? [];
    expect((await shown(employee)).value).toBe('true');
    // The provider opened the stream the bulk answer named.
    await expect
      .poll(() => urls.some((url) => url.includes('/ofrep/v1/event-stream?channel=')), {
        timeout: 10_000,
      })
      .toBe(true);

    await api('POST', '/api/v1/flags/new-checkout/kill', { environment: 'production' });

    const output = employee.locator('#new-checkout');
    await expect
      .poll(() => output.getAttribute('data-reason'), { timeout: 10_000 })
      .toBe('DISABLED');
    expect(await shown(employee)).toEqual({
      value: 'false',
      reason: 'DISABLED',
      variant: 'off',
      error: '',
    });
    // With polling off, only the event can have caused the re-fetch, which carries its etag.
    const refetches = urls.filter((url) => url.includes('/ofrep/v1/evaluate/flags?'));
    expect(refetches.length).toBeGreaterThan(0);
    expect(refetches.every((url) => new URL(url).searchParams.has('flagConfigEtag'))).toBe(true);
    await employee.close();
  });

  it('keeps the app’s default, with a fatal provider error, when the key is wrong', async () => {
    const page = await browser.newPage();
    const query = new URLSearchParams({
      ofrep: serverUrl,
      key: 'not-a-key',
      user: 'user-7',
      email: 'ana@faultline.dev',
    });
    await page.goto(`${shop.url}/?${query}`);
    // A key the server does not know is a 403: fatal for the provider, so the app keeps its default.
    expect(await shown(page)).toEqual({
      value: 'false',
      reason: 'ERROR',
      variant: '',
      error: 'PROVIDER_FATAL',
    });
    await page.close();
  });
});
