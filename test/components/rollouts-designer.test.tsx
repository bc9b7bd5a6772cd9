import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rollout } from '@/domain/rollouts';
import { resetRolloutDraft } from '@/features/rollouts/designer/rollout-draft';
import { renderAppAs, startRolloutsServer, type RolloutsServer } from './rollouts-harness';

let rollouts: RolloutsServer;
beforeEach(async () => {
  resetRolloutDraft();
  rollouts = await startRolloutsServer();
});
afterEach(async () => {
  await rollouts.server.app.close();
  resetRolloutDraft();
});

async function list(): Promise<Rollout[]> {
  const answer = await rollouts.server.call('GET', '/api/v1/rollouts');
  return (answer.json() as { rollouts: Rollout[] }).rollouts;
}

async function openDesigner(user = 'dev-dana') {
  await renderAppAs(rollouts, user, '/rollouts/new');
  await screen.findByRole('heading', { name: 'New rollout' }, { timeout: 30_000 });
  // The fleet's services fill the service box.
  await screen.findByRole('option', { name: 'checkout' });
}

describe('the rollout designer', { timeout: 60_000 }, () => {
  it('puts each message next to its field, and starts nothing while one is wrong', async () => {
    const user = userEvent.setup();
    await openDesigner();
    const start = screen.getByRole('button', { name: 'Start rollout' });
    expect(start).toBeDisabled();
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
      'give the rollout a name',
    );
    expect(screen.getByRole('combobox', { name: 'Service' })).toHaveAccessibleDescription(
      'choose a service',
    );

    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Checkout 2.4.0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'checkout');
    await user.type(screen.getByRole('textbox', { name: 'New version' }), '2.4 beta');
    expect(screen.getByRole('textbox', { name: 'New version' })).toHaveAccessibleDescription(
      /a version is letters, digits and \. _ \+ -/,
    );
    const weight2 = screen.getByRole('textbox', { name: 'Weight of step 2 (%)' });
    await user.clear(weight2);
    await user.type(weight2, '3');
    expect(weight2).toHaveAttribute('aria-invalid', 'true');
    expect(weight2).toHaveAccessibleDescription(
      "each step's weight must be above the one before (5 %)",
    );
    const wait1 = screen.getByRole('textbox', { name: 'Wait of step 1 (s)' });
    await user.clear(wait1);
    await user.type(wait1, '-1');
    expect(wait1).toHaveAccessibleDescription('wait cannot be negative');
    await user.click(screen.getByRole('checkbox', { name: /5xx rate/ }));
    await user.click(screen.getByRole('checkbox', { name: /p99 latency/ }));
    expect(
      screen.getByRole('group', { name: 'Metrics and tolerances' }),
    ).toHaveAccessibleDescription('choose at least one metric to judge each step on');
    expect(start).toBeDisabled();
    expect(screen.getByText('4 fields need attention before this can start.')).toBeInTheDocument();
    expect(await list()).toEqual([]);
  });

  it('shows the server’s refusal next to the field it names, then starts once fixed', async () => {
    const user = userEvent.setup();
    await openDesigner();
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Checkout 2.4.0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'checkout');
    await user.type(screen.getByRole('textbox', { name: 'New version' }), '2.4.0');
    // Only staging and production have a canary host: the server says so about the environment.
    const environment = screen.getByRole('combobox', { name: 'Rollout environment' });
    await user.selectOptions(environment, 'development');
    await user.click(screen.getByRole('button', { name: 'Start rollout' }));
    await waitFor(() =>
      expect(environment).toHaveAccessibleDescription(
        expect.stringContaining('checkout has no canary host in development'),
      ),
    );
    expect(environment).toHaveAttribute('aria-invalid', 'true');
    expect(await list()).toEqual([]);

    await user.selectOptions(environment, 'staging');
    expect(environment).toHaveAttribute('aria-invalid', 'false');
    await user.click(screen.getByRole('button', { name: 'Start rollout' }));
    await screen.findByRole('heading', { name: 'Checkout 2.4.0', level: 1 }, { timeout: 30_000 });
    const [created] = await list();
    expect(created?.spec).toMatchObject({
      kind: 'canary',
      service: 'checkout',
      environment: 'staging',
      newVersion: '2.4.0',
      steps: [
        { weight: 5, waitSeconds: 60 },
        { weight: 25, waitSeconds: 60 },
        { weight: 50, waitSeconds: 60 },
        { weight: 100, waitSeconds: 0 },
      ],
    });
    expect(created?.state).toBe('progressing');
  });

  it('sends a step that pauses for a person as a wait of null, and a defect when one is set', async () => {
    const user = userEvent.setup();
    await openDesigner();
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Payments 3.1.0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'payments');
    await user.type(screen.getByRole('textbox', { name: 'New version' }), '3.1.0');
    const step2 = screen.getByRole('listitem', { name: 'Step 2' });
    await user.selectOptions(
      within(step2).getByRole('combobox', { name: 'Step 2 ends' }),
      'when a person promotes it',
    );
    expect(
      within(step2).queryByRole('textbox', { name: 'Wait of step 2 (s)' }),
    ).not.toBeInTheDocument();
    await user.click(screen.getByText('Simulated defect'));
    await user.clear(screen.getByRole('textbox', { name: 'Extra 5xx answers (%)' }));
    await user.type(screen.getByRole('textbox', { name: 'Extra 5xx answers (%)' }), '4');
    await user.click(screen.getByRole('button', { name: 'Start rollout' }));
    await screen.findByRole('heading', { name: 'Payments 3.1.0', level: 1 }, { timeout: 30_000 });
    const [created] = await list();
    expect(created?.spec.steps[1]).toEqual({ weight: 25, waitSeconds: null });
    expect(created?.spec.kind === 'canary' && created.spec.defect).toEqual({
      fivexxPercent: 4,
      addedLatencyMs: 0,
    });
  });

  it('ends a step at a time, naming a time that has passed next to it', async () => {
    const user = userEvent.setup();
    await openDesigner();
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Checkout 2.4.0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'checkout');
    await user.type(screen.getByRole('textbox', { name: 'New version' }), '2.4.0');
    const step2 = screen.getByRole('listitem', { name: 'Step 2' });
    await user.selectOptions(
      within(step2).getByRole('combobox', { name: 'Step 2 ends' }),
      'at a time',
    );
    expect(
      within(step2).queryByRole('textbox', { name: 'Wait of step 2 (s)' }),
    ).not.toBeInTheDocument();
    const time = within(step2).getByLabelText('Time of step 2');
    expect(time).toHaveAccessibleDescription(
      'your time zone choose the time the step may be promoted at',
    );
    const start = screen.getByRole('button', { name: 'Start rollout' });
    expect(start).toBeDisabled();

    await user.type(time, '2020-01-06T10:00');
    expect(time).toHaveAttribute('aria-invalid', 'true');
    expect(time).toHaveAccessibleDescription(
      /^your time zone choose a time in the future \(it is /,
    );
    expect(start).toBeDisabled();

    await user.clear(time);
    await user.type(time, '2099-01-06T10:00');
    expect(time).toHaveAttribute('aria-invalid', 'false');
    // The plan under the steps says when each one may move on, in the viewer's time; so does
    // the rollout's page.
    const plan = /→ 25 % \(until [^)]*10:00\) → 50 % \(wait/;
    expect(screen.getByText(plan)).toBeInTheDocument();
    await user.click(start);
    await screen.findByRole('heading', { name: 'Checkout 2.4.0', level: 1 }, { timeout: 30_000 });
    expect(screen.getByText(plan)).toHaveTextContent(/^Plan: /);
    const [created] = await list();
    expect(created?.spec.steps[1]).toEqual({
      weight: 25,
      waitSeconds: null,
      waitUntil: new Date(2099, 0, 6, 10, 0).toISOString(),
    });
  });

  it(
    'designs a guarded flag rollout: a flag the service reads, its variant, steps',
    { timeout: 60_000 },
    async () => {
      const user = userEvent.setup();
      await openDesigner();
      await user.click(screen.getByRole('radio', { name: /^Flag/ }));
      expect(screen.queryByRole('textbox', { name: 'New version' })).not.toBeInTheDocument();
      await user.type(screen.getByRole('textbox', { name: 'Name' }), 'New checkout for everyone');
      expect(screen.getByRole('combobox', { name: 'Flag' })).toHaveAccessibleDescription(
        'choose a flag',
      );
      await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'checkout');
      const flag = screen.getByRole('combobox', { name: 'Flag' });
      await within(flag).findByRole('option', { name: 'new-checkout' });
      await user.selectOptions(flag, 'new-checkout');
      await user.selectOptions(screen.getByRole('combobox', { name: 'Variant rolled out' }), 'on');
      await user.click(screen.getByRole('button', { name: 'Start rollout' }));
      await screen.findByRole(
        'heading',
        { name: 'New checkout for everyone', level: 1 },
        { timeout: 30_000 },
      );
      expect(screen.getByRole('region', { name: 'Flag on against flag off' })).toBeInTheDocument();
      expect(screen.getByRole('link', { name: 'flag new-checkout' })).toHaveAttribute(
        'href',
        '/flags/new-checkout',
      );
      const [created] = await list();
      expect(created?.spec).toMatchObject({
        kind: 'flag',
        flagKey: 'new-checkout',
        variant: 'on',
        service: 'checkout',
        environment: 'staging',
      });
    },
  );

  it('does not let a viewer start a rollout, and says why', async () => {
    const user = userEvent.setup();
    await openDesigner('vic-viewer');
    await user.type(screen.getByRole('textbox', { name: 'Name' }), 'Checkout 2.4.0');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Service' }), 'checkout');
    await user.type(screen.getByRole('textbox', { name: 'New version' }), '2.4.0');
    const start = screen.getByRole('button', { name: 'Start rollout' });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription(/Your role cannot start rollouts/);
  });
});
