import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { explainEvaluation, SAMPLE_SEGMENTS, type Flag } from '../../src/domain/flags';
import {
  artifacts,
  eventually,
  pointsDrawn,
  startDashboard,
  type DashboardE2e,
} from './dashboard-e2e';

let e2e: DashboardE2e;
let page: Page;

beforeAll(async () => {
  e2e = await startDashboard();
  e2e.run(1);
  ({ page } = await e2e.signedIn('sam-sre'));
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
});

afterAll(async () => {
  await e2e?.close();
});

let stagingKey: string | undefined;

/** What an application reading new-checkout in staging gets over OFREP, with the environment's key. */
async function ofrepStaging(context: Record<string, string>) {
  // A key is shown only in the answer that makes it: made once, on first use.
  stagingKey ??= (
    (await (
      await fetch(`${e2e.url}/api/v1/ofrep-keys/staging/rotate`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await tokenOf('ada-admin')}`,
          'content-type': 'application/json',
        },
        body: '{}',
      })
    ).json()) as { key: string }
  ).key;
  const key = stagingKey;
  const answer = await fetch(`${e2e.url}/ofrep/v1/evaluate/flags/new-checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ context }),
  });
  return (await answer.json()) as { value?: unknown; variant?: string; reason?: string };
}

/** The newest value a chart's reading shows for a line ("flag on 81.2 %"). */
async function reading(chart: string, line: string): Promise<number> {
  const text =
    (await page
      .getByRole('figure', { name: new RegExp(`^${chart}`) })
      .locator('figcaption')
      .textContent()) ?? '';
  const match = new RegExp(`${line} ([\\d.]+)`).exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

describe.skipIf(!inject('chromiumPath'))(
  'a CPU experiment on the cohort of a feature flag, in Chromium',
  () => {
    it(
      'previews the flag for an employee and an outsider, inherits its cohort as the blast ' +
        'radius, splits the charts by cohort, and turns the flag off from the monitor',
      async () => {
        const flag = e2e.faultline.context.db
          .prepare("SELECT body FROM flags WHERE key = 'new-checkout'")
          .get() as { body: string };
        const newCheckout = JSON.parse(flag.body) as Flag;

        // The flag: who gets the new checkout in staging.
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Flags' })
          .click();
        await page.getByRole('link', { name: 'new-checkout', exact: true }).click();
        await page.getByRole('tab', { name: /^staging/ }).click();
        const result = page.getByRole('status', { name: 'Evaluation result' });
        await page.getByLabel('Email', { exact: true }).fill('ana@faultline.dev');
        await expect
          .poll(() => result.textContent())
          .toContain('Matched rule1 “Internal employees”');
        expect(await result.textContent()).toContain('Varianton (true)');
        await page.screenshot({
          path: path.join(artifacts, 'flag-cohort-preview-employee.png'),
          fullPage: true,
        });

        const segments = Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s]));
        const outsider = {
          email: 'bo@initech.example',
          country: 'US',
          company: 'Initech',
          targetingKey: 'user-1234',
        };
        const expected = explainEvaluation(newCheckout, 'staging', outsider, segments);
        await page.getByLabel('Email', { exact: true }).fill(outsider.email);
        await page.getByRole('textbox', { name: 'Country' }).fill(outsider.country);
        await page.getByRole('textbox', { name: 'Company' }).fill(outsider.company);
        await page.getByRole('textbox', { name: 'Targeting key' }).fill(outsider.targetingKey);
        await expect.poll(() => result.textContent()).toContain('Matched rule4 “Everyone else”');
        expect(await result.textContent()).toContain(`Variant${expected.variant}`);
        expect(await ofrepStaging(outsider)).toMatchObject({ variant: expected.variant });
        await page.screenshot({
          path: path.join(artifacts, 'flag-cohort-preview-outsider.png'),
          fullPage: true,
        });

        // The experiment: CPU pressure on whoever serves the flag's on-cohort in staging.
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Experiments' })
          .click();
        await page.getByRole('link', { name: 'New experiment' }).click();
        const target = page.getByRole('region', { name: 'Target' });
        await target.getByLabel('Service', { exact: true }).selectOption('checkout');
        await target.getByLabel('Environment', { exact: true }).selectOption('staging');
        await page.getByText('Start from a template').click();
        await page.getByRole('button', { name: /^CPU pressure/ }).click();
        await page
          .getByRole('alertdialog', { name: 'Replace the design?' })
          .getByRole('button', { name: 'Replace' })
          .click();
        await target.getByText("A flag's cohort", { exact: true }).click();
        await target.getByLabel('Flag', { exact: true }).selectOption('new-checkout');
        await target.getByText('All', { exact: true }).click();
        await page.getByLabel('Name', { exact: true }).fill('CPU pressure on the new checkout');

        const cohort = (await (
          await fetch(
            `${e2e.url}/api/v1/flags/new-checkout/cohort?service=checkout&environment=staging`,
            { headers: { authorization: `Bearer ${await tokenOf('vic-viewer')}` } },
          )
        ).json()) as { hostIds: string[]; instanceIds: string[] };
        const cohortContainers = cohort.instanceIds.filter((id) => !cohort.hostIds.includes(id));
        await expect
          .poll(() => page.getByRole('status', { name: 'Resolved blast radius' }).textContent())
          .toContain(`${cohortContainers.length} of ${cohortContainers.length} containers`);
        const selected = await page
          .getByRole('listitem', { name: /^container \S+: selected$/ })
          .evaluateAll((items) =>
            items.map((i) => i.getAttribute('aria-label')?.split(' ')[1]?.replace(':', '')),
          );
        expect(selected.sort()).toEqual([...cohortContainers].sort());
        await page.screenshot({
          path: path.join(artifacts, 'flag-cohort-designer.png'),
          fullPage: true,
        });

        await page.getByRole('button', { name: 'Review and start' }).click();
        await page.getByRole('button', { name: 'Start in staging' }).click();
        await page.waitForURL(/\/experiments\/[0-9a-f-]{36}$/);
        const id = page.url().split('/').pop() ?? '';
        await page.getByText(/^Running: CPU pressure at 50 % on checkout in staging/).waitFor();
        expect([...(e2e.faultline.context.experiments.get(id)?.run?.targets ?? [])].sort()).toEqual(
          [...cohortContainers].sort(),
        );

        // The charts split the users: the attacked cohort against everyone else.
        e2e.run(3);
        const legend = page.getByRole('list', { name: 'Chart legend' });
        expect(await legend.textContent()).toContain('flag on (users served flag new-checkout)');
        await eventually(
          () => pointsDrawn(page, 'CPU', 'flag on'),
          (n) => n > 5,
        );
        await eventually(
          () => pointsDrawn(page, 'CPU', 'flag off'),
          (n) => n > 5,
        );
        const on = await eventually(
          () => reading('CPU', 'flag on'),
          (v) => v > 70,
        );
        const off = await reading('CPU', 'flag off');
        expect(on - off).toBeGreaterThan(25);
        e2e.run(1);
        await page.screenshot({
          path: path.join(artifacts, 'flag-cohort-monitor.png'),
          fullPage: true,
        });

        // The flag's switch, confirmed, turns it off; the monitor says so once the server has.
        expect(
          await ofrepStaging({ targetingKey: 'emp-1', email: 'ana@faultline.dev' }),
        ).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
        const panel = page.getByRole('region', { name: 'Inherited flag' });
        await panel.getByRole('button', { name: 'Turn off new-checkout in staging' }).click();
        await page.getByRole('button', { name: 'Turn off now' }).click();
        await panel
          .getByRole('status', { name: 'new-checkout in staging' })
          .getByText('new-checkout is off in staging')
          .waitFor();
        expect(
          await ofrepStaging({ targetingKey: 'emp-1', email: 'ana@faultline.dev' }),
        ).toMatchObject({ value: false, reason: 'DISABLED' });
        expect(await panel.getByRole('button', { name: /^Turn off/ }).count()).toBe(0);
        await page.screenshot({
          path: path.join(artifacts, 'flag-cohort-flag-off.png'),
          fullPage: true,
        });
      },
    );
  },
);

async function tokenOf(user: string): Promise<string> {
  const session = await fetch(`${e2e.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  return ((await session.json()) as { token: string }).token;
}
