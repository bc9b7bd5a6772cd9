import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifacts,
  errorBurst,
  localInput,
  mildLatency,
  signIn,
  startGamedaysE2e,
  type GamedaysE2e,
} from './gamedays-setup';

let e2e: GamedaysE2e;
let page: Page;

beforeAll(async () => {
  e2e = await startGamedaysE2e();
  page = await e2e.browser.newPage({
    viewport: { width: 1440, height: 1000 },
    acceptDownloads: true,
  });
});

afterAll(async () => {
  await e2e?.close();
});

const timeline = () => page.getByRole('list', { name: 'Timeline entries' });

async function planTheGameday(burstId: string, latencyId: string) {
  await page.goto(`${e2e.url}/gamedays`);
  await page.getByRole('link', { name: 'Plan a game day' }).click();
  await page.getByLabel('Title').fill('Checkout resilience');
  await page
    .getByLabel('What is it for')
    .fill('Does checkout hide an error burst while catalog is slow?');
  await page.getByLabel('Starts').fill(localInput(Date.now() - 5 * 60_000));
  await page.getByLabel('Ends').fill(localInput(Date.now() + 2 * 3_600_000));
  await page.getByRole('button', { name: 'Add a participant' }).click();
  await page.getByLabel('Participant 2', { exact: true }).fill('dev-dana');
  await page.getByLabel('Role of participant 2').selectOption('scribe');
  await page.getByLabel('Add an experiment').selectOption(burstId);
  await page.getByLabel('Add an experiment').selectOption(latencyId);
  for (const text of [
    'Announce the game day in #ops',
    'Start the error burst on checkout/staging',
    'Halt everything, then write findings',
  ]) {
    await page.getByRole('button', { name: 'Add a step' }).click();
    const count = await page.getByLabel(/^Step \d+$/).count();
    await page.getByLabel(`Step ${count}`, { exact: true }).fill(text);
  }
  await page.getByLabel('Experiment of step 2').selectOption(burstId);
  await page.getByRole('button', { name: 'Create game day' }).click();
  await page.getByRole('heading', { name: 'Checkout resilience', level: 1 }).waitFor();
}

describe('a game day in the browser', () => {
  it('is planned, run (start, abort, halt all), noted, concluded and exported as Markdown', async () => {
    const burst = await e2e.api<{ id: string }>('POST', '/api/v1/experiments', errorBurst());
    const latency = await e2e.api<{ id: string }>('POST', '/api/v1/experiments', mildLatency());
    await signIn(page, e2e.url);
    await planTheGameday(burst.id, latency.id);
    expect(page.url()).toMatch(/\/gamedays\/gd_[0-9a-f]+$/);

    // The runbook: a tick records who and when. The box shows what the server holds, so it
    // turns checked only once the server confirms: click, then wait for the confirmation.
    const announce = page.getByRole('checkbox', { name: '1. Announce the game day in #ops' });
    await announce.click();
    await page.getByText(/Done by sam-sre at \d\d:\d\d:\d\d/).waitFor();
    expect(await announce.isChecked()).toBe(true);

    // Start the error burst: its abort condition trips and the timeline says why.
    await page
      .getByRole('listitem', { name: 'Error burst on checkout' })
      .getByRole('button', { name: 'Start' })
      .click();
    await timeline()
      .getByText(/“Error burst on checkout” aborted: 5xx rate > 1 % for 3 s/)
      .waitFor({ timeout: 30_000 });

    // Start the second one, watch it live, then the kill switch.
    await page
      .getByRole('listitem', { name: 'Latency on catalog' })
      .getByRole('button', { name: 'Start' })
      .click();
    await page
      .getByRole('heading', { name: 'In progress: Latency on catalog' })
      .waitFor({ timeout: 15_000 });
    await page.getByRole('heading', { name: 'Live monitor' }).waitFor();
    await page.waitForTimeout(3_000);
    await page.screenshot({ path: path.join(artifacts, 'gameday-running.png'), fullPage: true });
    await page.getByRole('button', { name: /halt all/i }).click();
    await timeline()
      .getByText(/sam-sre pressed halt all: 1 experiment stopped/)
      .waitFor({ timeout: 15_000 });
    await timeline().getByText('“Latency on catalog” halted by sam-sre (halt all)').waitFor();

    // A note, with its author.
    await page
      .getByRole('textbox', { name: 'Add a note' })
      .fill('Checkout retries doubled the load on payments');
    await page.getByRole('button', { name: 'Add note' }).click();
    await timeline().getByText('Checkout retries doubled the load on payments').waitFor();
    const lines = await timeline().getByRole('listitem').allTextContents();
    expect(lines.map((l) => l.replace(/^\d\d:\d\d:\d\d/, ''))).toEqual([
      expect.stringMatching(/^StartedStarted “Error burst on checkout”/),
      expect.stringMatching(/^Aborted“Error burst on checkout” aborted/),
      expect.stringMatching(/^StartedStarted “Latency on catalog”/),
      expect.stringMatching(/^Halted“Latency on catalog” halted by sam-sre/),
      expect.stringMatching(/^Halt allsam-sre pressed halt all/),
      expect.stringMatching(/^NoteCheckout retries doubled the load on payments — sam-sre$/),
    ]);

    // Findings and hypothesis outcomes.
    await page.getByLabel('What broke').fill('Payments timed out under the retry storm.');
    await page.getByLabel('What surprised us').fill('Nobody was paged for 40 seconds.');
    await page.getByRole('button', { name: 'Add a follow-up action' }).click();
    await page.getByLabel('Action 1', { exact: true }).fill('Add a retry budget to checkout');
    await page.getByLabel('Owner of action 1').fill('dev-dana');
    await page.getByLabel('Outcome for Error burst on checkout').selectOption('refuted');
    await page
      .getByLabel('Comment on Error burst on checkout')
      .fill('5xx reached 20 % on the target');
    await page.getByLabel('Outcome for Latency on catalog').selectOption('confirmed');
    await page.getByRole('button', { name: 'Save findings' }).click();
    await page.getByText('Findings saved.').waitFor();
    await page.screenshot({ path: path.join(artifacts, 'gameday-after.png'), fullPage: true });

    // The report, downloaded.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export Markdown' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      /^gameday-\d{4}-\d\d-\d\d-checkout-resilience\.md$/,
    );
    const file = await download.path();
    copyFileSync(file, path.join(artifacts, 'gameday-report.md'));
    const report = readFileSync(file, 'utf8');
    expect(report).toContain('# Checkout resilience');
    expect(report).toContain('- dev-dana (scribe)');
    expect(report).toMatch(
      /- \[x\] Announce the game day in #ops — done by sam-sre at \d{4}-\d\d-\d\d \d\d:\d\d UTC/,
    );
    expect(report).toContain('### 1. Error burst on checkout');
    expect(report).toContain('- Outcome: Refuted: the system did not behave as expected');
    expect(report).toContain('aborted: 5xx rate > 1 % for 3 s');
    expect(report).toContain('sam-sre pressed halt all');
    expect(report).toContain('Checkout retries doubled the load on payments (note by sam-sre)');
    expect(report).toContain('## Incidents');
    expect(report).toContain('- [ ] Add a retry budget to checkout — owner: dev-dana');

    // Printed, it is the report: no header, no buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Export Markdown' }).isVisible()).toBe(false);
    await page.screenshot({ path: path.join(artifacts, 'gameday-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });
});
