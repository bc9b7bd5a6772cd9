import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainEvaluation, SAMPLE_SEGMENTS, type Flag } from '../../src/domain/flags';
import { artifacts, startFlagsE2e, type FlagsE2e } from './flags-setup';

let e2e: FlagsE2e;
let page: Page;

beforeAll(async () => {
  e2e = await startFlagsE2e();
  page = await e2e.browser.newPage({ viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await e2e?.close();
});

const result = () => page.getByRole('status', { name: 'Evaluation result' });

describe('feature flags in the browser', () => {
  it('creates a checkout flag for internal employees, previews an employee and an outsider, and kills it from the list', async () => {
    await page.goto(`${e2e.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in as Dana (developer)' }).click();
    // Production in the header: the flag editor opens on the header's environment.
    await page.getByRole('banner').getByLabel('Environment').selectOption('production');
    await page.getByRole('link', { name: 'Flags' }).first().click();
    await page.getByRole('heading', { name: 'Feature flags' }).waitFor();

    // Create: internal employees first, then 20 % of everyone else.
    await page.getByRole('link', { name: 'New flag' }).click();
    await page.getByLabel('Key', { exact: true }).fill('one-page-checkout');
    await page.getByLabel('Services').fill('checkout');
    await page.getByLabel('Description').fill('The one-page checkout, for staff first');
    await page.getByRole('checkbox', { name: /On in production once created/ }).check();
    await page.getByRole('button', { name: 'Add rule in production' }).click();
    await page.getByLabel('Name of rule 1').fill('Internal employees');
    await page.getByLabel('Segment of condition 1 of rule 1').selectOption('internal-employees');
    await page.getByLabel('Variant served by rule 1').selectOption('on');
    await page.getByRole('button', { name: 'Add percentage rollout for everyone else' }).click();
    await page.getByRole('slider', { name: /Share for on \(%\) in rule 2/ }).fill('20');
    await expect.poll(() => page.getByText('20 % on · 80 % off').count()).toBe(1);
    await page.getByRole('button', { name: 'Create flag' }).click();
    await page.waitForURL(`${e2e.url}/flags/one-page-checkout`);
    await page.getByRole('heading', { name: 'one-page-checkout' }).waitFor();

    const saved = await e2e.api<Flag>('GET', '/api/v1/flags/one-page-checkout', 'vic-viewer');
    expect(saved.environments.production.rules.map((r) => [r.name, r.serve])).toEqual([
      ['Internal employees', { kind: 'variant', variant: 'on' }],
      [
        'Everyone else',
        {
          kind: 'rollout',
          split: [
            { variant: 'on', weight: 20 },
            { variant: 'off', weight: 80 },
          ],
        },
      ],
    ]);

    // Preview an employee: the first rule serves on.
    await page.getByLabel('Email', { exact: true }).fill('ana@faultline.dev');
    await expect.poll(async () => result().textContent()).toContain('TARGETING_MATCH');
    expect(await result().textContent()).toContain('Varianton (true)');
    expect(await result().textContent()).toContain('Matched rule1 “Internal employees”');
    await page.screenshot({
      path: path.join(artifacts, 'flags-editor-employee.png'),
      fullPage: true,
    });

    // An outsider lands in the rollout, where the server puts them too.
    await page.getByLabel('Email', { exact: true }).fill('bo@initech.example');
    await page.getByLabel('Targeting key').fill('user-1234');
    await expect
      .poll(async () => result().textContent())
      .toContain('Matched rule2 “Everyone else”');
    const segments = Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s]));
    const outsider = { email: 'bo@initech.example', targetingKey: 'user-1234' };
    const expected = explainEvaluation(saved, 'production', outsider, segments);
    expect(await result().textContent()).toContain(`Variant${expected.variant}`);
    expect(await e2e.ofrep('production', 'one-page-checkout', outsider)).toMatchObject({
      variant: expected.variant,
      reason: 'TARGETING_MATCH',
    });
    expect(
      await e2e.ofrep('production', 'one-page-checkout', {
        targetingKey: 'x',
        email: 'ana@faultline.dev',
      }),
    ).toMatchObject({ value: true });

    // Kill it from the list: one confirmed action, and applications get the off value.
    await page.getByRole('link', { name: '← All flags' }).click();
    const row = page.getByRole('row', { name: /one-page-checkout/ });
    await row.getByRole('button', { name: 'Turn off one-page-checkout in production' }).click();
    const confirm = page.getByRole('dialog', { name: 'Turn off one-page-checkout in production?' });
    await confirm.getByRole('textbox', { name: 'Comment (optional)' }).fill('rollback drill');
    await page.screenshot({ path: path.join(artifacts, 'flags-kill-confirm.png'), fullPage: true });
    await confirm.getByRole('button', { name: 'Turn off now' }).click();
    await row.getByRole('button', { name: 'Turn on one-page-checkout in production' }).waitFor();
    await page.screenshot({ path: path.join(artifacts, 'flags-list-killed.png'), fullPage: true });
    expect(
      await e2e.ofrep('production', 'one-page-checkout', {
        targetingKey: 'x',
        email: 'ana@faultline.dev',
      }),
    ).toMatchObject({ value: false, variant: 'off', reason: 'DISABLED' });
    const history = await e2e.api<{ entries: { change: string; by: string; comment?: string }[] }>(
      'GET',
      '/api/v1/flags/one-page-checkout/history',
      'vic-viewer',
    );
    expect(history.entries[0]).toMatchObject({
      change: 'killed',
      by: 'dev-dana',
      comment: 'rollback drill',
    });
  });

  it('shows an imported flagd rule the forms cannot draw as a JSON rule, evaluated as flagd does', async () => {
    const targeting = { if: [{ in: ['@faultline.dev', { var: 'email' }] }, 'on', 'off'] };
    await e2e.api('POST', '/api/v1/flags/import', 'dev-dana', {
      environment: 'staging',
      document: {
        metadata: { flagSetId: 'shop' },
        flags: {
          staffTools: {
            state: 'ENABLED',
            variants: { on: true, off: false },
            defaultVariant: 'off',
            targeting,
            metadata: { owner: 'payments' },
          },
        },
      },
    });
    await page.getByRole('banner').getByLabel('Environment').selectOption('staging');
    await page.goto(`${e2e.url}/flags/staffTools`);
    const rule = page.getByRole('region', { name: 'JSON rule for targeting in staging' });
    await rule.waitFor();
    expect(
      await rule.getByLabel('JSON rule text for targeting in staging').textContent(),
    ).toContain('@faultline.dev');
    await page.screenshot({ path: path.join(artifacts, 'flag-json-rule.png'), fullPage: true });
    expect(
      await e2e.ofrep('staging', 'staffTools', { targetingKey: 'a', email: 'ana@faultline.dev' }),
    ).toMatchObject({
      value: true,
      variant: 'on',
    });
  });
});
