import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainEvaluation, SAMPLE_SEGMENTS, type Flag } from '@/domain/flags';
import { resetFlagDrafts } from '@/features/flags/flag-draft-store';
import { useViewSettings } from '@/lib/view-settings';
import { renderFlags, startFlagsServer, type FlagsServer } from './flags-harness';

// Every fresh server holds the sample new-checkout flag and its three segments.
let server: FlagsServer;
beforeEach(async () => {
  localStorage.clear();
  resetFlagDrafts();
  // These tests edit production: the editor opens on the header's environment.
  useViewSettings.getState().setEnvironment('production');
  server = await startFlagsServer();
});
afterEach(() => server.close());

const user = () => userEvent.setup();
const rule = (n: number) => screen.getByRole('listitem', { name: new RegExp(`^Rule ${n}\\b`) });

async function typeInto(label: string, text: string) {
  const box = screen.getByLabelText(label);
  await user().clear(box);
  await user().type(box, text);
}

describe('the flag editor', () => {
  it('saves a flag targeting internal employees as flagd JSON that evaluates as the form says', async () => {
    const rendered = await renderFlags(server, 'dev-dana', '/flags/new');
    await typeInto('Key', 'beta-banner');
    await user().click(screen.getByRole('checkbox', { name: /On in production/ }));
    await user().click(screen.getByRole('button', { name: 'Add rule in production' }));
    await user().type(screen.getByLabelText('Name of rule 1'), 'Staff');
    await user().selectOptions(
      within(rule(1)).getByLabelText('Segment of condition 1 of rule 1'),
      'internal-employees',
    );
    await user().selectOptions(within(rule(1)).getByLabelText('Variant served by rule 1'), 'on');
    await user().click(screen.getByRole('button', { name: 'Create flag' }));
    await waitFor(() => expect(rendered.router.state.location.pathname).toBe('/flags/beta-banner'));

    const saved = await server.flag('beta-banner');
    expect(saved.environments.production).toEqual({
      state: 'on',
      rules: [
        {
          name: 'Staff',
          conditions: [{ operator: 'segment', segment: 'internal-employees' }],
          serve: { kind: 'variant', variant: 'on' },
        },
      ],
    });
    expect(
      await server.evaluate('production', 'beta-banner', {
        targetingKey: 'a',
        email: 'ana@faultline.dev',
      }),
    ).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    expect(
      await server.evaluate('production', 'beta-banner', {
        targetingKey: 'b',
        email: 'bo@initech.example',
      }),
      // No rule matched: flagd's DEFAULT, which OFREP's list names TARGETING_MATCH (the rules ran).
    ).toMatchObject({ value: false, reason: 'TARGETING_MATCH' });
    expect(
      await server.evaluate('staging', 'beta-banner', {
        targetingKey: 'a',
        email: 'ana@faultline.dev',
      }),
    ).toMatchObject({ value: false, reason: 'DISABLED' });
  }, 20_000);

  it('puts each field error next to its field and saves nothing', async () => {
    await renderFlags(server, 'dev-dana', '/flags/new');
    await typeInto('Key', 'new');
    await user().selectOptions(screen.getByLabelText('Type'), 'number');
    await typeInto('Value of variant high', 'ten');
    await user().click(screen.getByRole('button', { name: 'Add rule in production' }));
    await user().selectOptions(
      within(rule(1)).getByLabelText('Operator of condition 1 of rule 1'),
      'semver',
    );
    await user().type(within(rule(1)).getByLabelText('Value of condition 1 of rule 1'), 'soon');
    await user().click(screen.getByRole('button', { name: 'Create flag' }));

    expect(screen.getByLabelText('Key')).toHaveAccessibleDescription(/reserved/);
    expect(screen.getByLabelText('Value of variant high')).toBeInvalid();
    expect(screen.getByText('expected a number, like 3 or 2.5')).toBeInTheDocument();
    // The variant is still there by name: the default and off variants that name it are fine.
    expect(screen.getByLabelText('Default variant')).toBeValid();
    expect(
      within(rule(1)).getByLabelText('Value of condition 1 of rule 1'),
    ).toHaveAccessibleDescription('not a semantic version (like 2.1.0)');
    expect(screen.getByRole('alert')).toHaveTextContent(/Not saved/);
    const stored = (await server.api('GET', '/api/v1/flags', 'vic-viewer')).json() as {
      flags: Flag[];
    };
    expect(stored.flags.map((f) => f.key)).toEqual(['new-checkout']);
  }, 20_000);

  it('shows the server refusing a key that exists', async () => {
    await server.api('POST', '/api/v1/flags', 'dev-dana', { ...baseFlag('taken') });
    await renderFlags(server, 'dev-dana', '/flags/new');
    await typeInto('Key', 'taken');
    await user().click(screen.getByRole('button', { name: 'Create flag' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/already exists/);
  });

  it('reorders rules with the buttons, and the saved order is the new one', async () => {
    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await user().click(within(rule(2)).getByRole('button', { name: 'Move rule 2 up' }));
    expect(within(rule(1)).getByLabelText('Name of rule 1')).toHaveValue('Colombia');
    expect(within(rule(1)).getByRole('button', { name: 'Move rule 1 up' })).toBeDisabled();
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    await waitFor(async () =>
      expect(
        (await server.flag('new-checkout')).environments.production.rules.map((r) => r.name),
      ).toEqual(['Colombia', 'Internal employees', 'Beta company', 'Everyone else']),
    );
  });

  it('sets the rollout share with the slider', async () => {
    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    const slider = await screen.findByRole('slider', { name: /Share for on \(%\) in rule 4/ });
    fireEvent.change(slider, { target: { value: '35' } });
    expect(screen.getByText('35 % on · 65 % off')).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    await waitFor(async () =>
      expect((await server.flag('new-checkout')).environments.production.rules[3]?.serve).toEqual({
        kind: 'rollout',
        split: [
          { variant: 'on', weight: 35 },
          { variant: 'off', weight: 65 },
        ],
      }),
    );
  });

  it('refuses a save made from an old version, saying someone else changed it', async () => {
    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await server.api('POST', '/api/v1/flags/new-checkout/kill', 'vic-viewer', {
      environment: 'testing',
    });
    await typeInto('Description', 'Edited while someone else killed it');
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /Someone changed this in the meantime/,
    );
    expect((await server.flag('new-checkout')).description).not.toBe(
      'Edited while someone else killed it',
    );
  });

  it('keeps what was typed across a reload, until it is saved or discarded', async () => {
    const first = await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await typeInto('Description', 'Half-written thought');
    first.unmount();

    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    expect(await screen.findByLabelText('Description')).toHaveValue('Half-written thought');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(screen.getByLabelText('Description')).toHaveValue(
      'The rewritten checkout flow (one-page payment).',
    );
    expect(screen.queryByText('Unsaved changes')).toBeNull();
  });

  it('says when a kept draft was made from an older version, and saving it is refused', async () => {
    const first = await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await typeInto('Description', 'Typed before someone killed it');
    first.unmount();
    await server.api('POST', '/api/v1/flags/new-checkout/kill', 'vic-viewer', {
      environment: 'production',
    });

    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    expect(
      await screen.findByText(/vic-viewer saved version 2 while you were editing/),
    ).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    expect(await screen.findByText(/Someone changed this in the meantime/)).toBeInTheDocument();
    expect((await server.flag('new-checkout')).environments.production.state).toBe('off');
  });

  it('lists the change history', async () => {
    await server.api('POST', '/api/v1/flags/new-checkout/kill', 'vic-viewer', {
      environment: 'production',
    });
    await renderFlags(server, 'vic-viewer', '/flags/new-checkout');
    const history = await screen.findByRole('list', { name: 'Changes, newest first' });
    await waitFor(() => expect(within(history).getAllByRole('listitem')).toHaveLength(2));
    expect(within(history).getAllByRole('listitem')[0]).toHaveTextContent(
      /v2 killed by vic-viewer/,
    );
  });
});

describe('the evaluation preview', () => {
  it('names the variant, the reason and the matched rule for an employee and an outsider', async () => {
    await renderFlags(server, 'vic-viewer', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await typeInto('Email', 'ana@faultline.dev');
    const result = screen.getByRole('status', { name: 'Evaluation result' });
    expect(result).toHaveTextContent('Varianton (true)');
    expect(result).toHaveTextContent('ReasonTARGETING_MATCH');
    expect(result).toHaveTextContent('Matched rule1 “Internal employees”');

    await typeInto('Email', 'bo@initech.example');
    await typeInto('Targeting key', 'user-7');
    const flag = await server.flag('new-checkout');
    const expected = explainEvaluation(
      flag,
      'production',
      { email: 'bo@initech.example', targetingKey: 'user-7' },
      Object.fromEntries(SAMPLE_SEGMENTS.map((s) => [s.key, s])),
    );
    expect(result).toHaveTextContent(`Variant${expected.variant}`);
    expect(result).toHaveTextContent('Matched rule4 “Everyone else”');
    expect(
      await server.evaluate('production', 'new-checkout', {
        email: 'bo@initech.example',
        targetingKey: 'user-7',
      }),
    ).toMatchObject({ variant: expected.variant });
  });

  it('says what it evaluated: the fields typed, and that the rest are empty, not the examples', async () => {
    await renderFlags(server, 'vic-viewer', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    const email = screen.getByRole('textbox', { name: 'Email' });
    expect(email).toHaveAttribute('placeholder', expect.stringMatching(/^e\.g\. /));
    const result = screen.getByRole('status', { name: 'Evaluation result' });
    expect(result).toHaveTextContent('Evaluated foran empty context: every field above is empty');
    await typeInto('Country', 'CO');
    expect(result).toHaveTextContent(
      'Evaluated forcountry “CO”; empty: email, company, targeting key, app version',
    );
  });

  it('previews the environment whose tab is open', async () => {
    await renderFlags(server, 'vic-viewer', '/flags/new-checkout');
    await user().click(await screen.findByRole('tab', { name: /development/ }));
    expect(screen.getByRole('heading', { name: 'Preview in development' })).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Evaluation result' })).toHaveTextContent(
      'Matched rule1 “Everyone”',
    );
  });
});

function baseFlag(key: string) {
  const off = { state: 'off', rules: [] };
  return {
    key,
    variants: { on: true, off: false },
    defaultVariant: 'off',
    offVariant: 'off',
    fallbackValue: false,
    environments: { development: off, testing: off, staging: off, production: off },
  };
}

describe("the flag editor's switch", () => {
  it('turns a flag off in the tab shown at once once confirmed, with no Save, keeping what was typed', async () => {
    await renderFlags(server, 'dev-dana', '/flags/new-checkout');
    await screen.findByRole('heading', { name: 'new-checkout' });
    await typeInto('Description', 'Typed before the kill');
    await user().click(screen.getByRole('tab', { name: /^staging/ }));
    expect(screen.queryByRole('checkbox', { name: /On in staging/ })).toBeNull();
    await user().click(screen.getByRole('button', { name: 'Turn off new-checkout in staging' }));
    await user().type(screen.getByRole('textbox', { name: 'Comment (optional)' }), 'too slow');
    await user().click(screen.getByRole('button', { name: 'Turn off now' }));
    await waitFor(async () =>
      expect((await server.flag('new-checkout')).environments.staging.state).toBe('off'),
    );
    expect(await screen.findByText(/Off in staging/)).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: /^staging/ })).toHaveTextContent('(off)');
    // The typed description survives and still saves: no "changed elsewhere" conflict.
    expect(screen.getByLabelText('Description')).toHaveValue('Typed before the kill');
    expect(screen.queryByRole('alert')).toBeNull();
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    await waitFor(async () =>
      expect((await server.flag('new-checkout')).description).toBe('Typed before the kill'),
    );
    expect((await server.flag('new-checkout')).environments.staging.state).toBe('off');
    const history = within(screen.getByRole('list', { name: 'Changes, newest first' }));
    expect(await history.findByText('too slow')).toBeInTheDocument();
  });
});
