import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Rollout } from '@/domain/rollouts';
import {
  CANARY_5XX_ROLLBACK,
  canarySpec,
  createRollout,
  flagRolloutSpec,
  getRollout,
} from '../mock-server/rollouts-fixtures';
import { formatDateTime } from '@/lib/format';
import { START } from '../mock-server/test-server';
import { renderAppAs, startRolloutsServer, type RolloutsServer } from './rollouts-harness';

let rollouts: RolloutsServer;
beforeEach(async () => {
  rollouts = await startRolloutsServer();
});
afterEach(async () => {
  await rollouts.server.app.close();
});

const DEFECT = { fivexxPercent: 4, addedLatencyMs: 0 };

/** A canary of checkout in staging, and one of payments in production that the judge rolled back. */
async function twoRollouts(): Promise<{ healthy: Rollout; failed: Rollout }> {
  const failed = await createRollout(
    rollouts.server,
    canarySpec({
      name: 'Payments 3.1.0',
      service: 'payments',
      environment: 'production',
      newVersion: '3.1.0',
      defect: DEFECT,
    }),
  );
  rollouts.server.advance(25);
  const healthy = await createRollout(rollouts.server, canarySpec());
  return { healthy, failed: await getRollout(rollouts.server, failed.id) };
}

const row = (name: string) => screen.getByRole('link', { name }).closest('tr') as HTMLElement;

describe('the rollouts list', () => {
  it('is in the menu and lists each rollout with service, environment, kind, step, state and verdict', async () => {
    const { failed } = await twoRollouts();
    expect(failed.state).toBe('rolled-back');
    const user = userEvent.setup();
    await renderAppAs(rollouts, 'vic-viewer', '/');
    const nav = await screen.findByRole('navigation', { name: 'Main' }, { timeout: 10_000 });
    await user.click(within(nav).getByRole('link', { name: 'Rollouts' }));
    await screen.findByRole('heading', { name: 'Rollouts', level: 1 }, { timeout: 10_000 });
    await screen.findByRole('link', { name: 'Checkout 2.4.0' });

    const cells = (name: string) =>
      within(row(name))
        .getAllByRole('cell')
        .map((c) => c.textContent);
    expect(cells('Checkout 2.4.0')).toEqual([
      'Checkout 2.4.02.4.0',
      '● progressing',
      'step 1 of 4 · 5 %',
      'not judged yet',
      'checkout',
      'staging',
      'Canary',
    ]);
    expect(cells('Payments 3.1.0')).toEqual([
      'Payments 3.1.03.1.0',
      'rolled-back',
      'step 1 of 4 · 0 %',
      'step 1 failed',
      'payments',
      'production',
      'Canary',
    ]);
    // A viewer may watch rollouts but not start one.
    expect(screen.queryByRole('link', { name: 'New rollout' })).not.toBeInTheDocument();
  });

  it('offers a new rollout to a developer', async () => {
    await renderAppAs(rollouts, 'dev-dana', '/rollouts');
    expect(
      await screen.findByRole('link', { name: 'New rollout' }, { timeout: 10_000 }),
    ).toHaveAttribute('href', '/rollouts/new');
  });
});

describe('a rollout page', () => {
  it('says why the judge rolled a canary back, with its numbers, per step', async () => {
    const { failed } = await twoRollouts();
    await renderAppAs(rollouts, 'vic-viewer', `/rollouts/${failed.id}`);
    await screen.findByRole('heading', { name: 'Payments 3.1.0' }, { timeout: 10_000 });
    const reason = screen.getByRole('status', { name: 'Reason' });
    expect(reason).toHaveTextContent(CANARY_5XX_ROLLBACK);
    const step = screen.getByRole('listitem', { name: /^Step 1 at 5 %, .*: failed$/ });
    expect(within(step).getByText(/canary 5xx rate .* vs stable/)).toHaveTextContent(
      failed.analyses.at(-1)!.judgements.find((j) => j.metric === 'http_5xx_rate')!.text,
    );
    expect(
      screen.getByRole('img', { name: /^Weight over time: 5 % at .*, 0 % at .*\.$/ }),
    ).toBeInTheDocument();
    // One live chart per metric the rollout is judged on, canary against stable.
    const charts = screen.getByRole('region', { name: 'Canary against stable' });
    expect(within(charts).getByRole('figure', { name: /5xx/ })).toBeInTheDocument();
    expect(within(charts).getByRole('figure', { name: /p99/i })).toBeInTheDocument();
    // Rolled back: only Retry is left, and a viewer may not retry.
    expect(screen.queryByRole('group', { name: 'Rollout controls' })).toBeEmptyDOMElement();
  });

  it('says when a step with a time may be promoted, and each step’s time in the plan', async () => {
    const at = (hours: number) => new Date(START + hours * 3_600_000).toISOString();
    const created = await createRollout(
      rollouts.server,
      canarySpec({
        steps: [
          { weight: 5, waitUntil: at(1) },
          { weight: 25, waitUntil: at(2) },
          { weight: 100, waitSeconds: 0 },
        ],
      }),
    );
    await renderAppAs(rollouts, 'vic-viewer', `/rollouts/${created.id}`);
    await screen.findByRole('heading', { name: 'Checkout 2.4.0' }, { timeout: 10_000 });
    const time = (hours: number) => formatDateTime(START + hours * 3_600_000);
    expect(
      screen.getByText(
        new RegExp(`step 1 may be promoted from ${time(1)}, once its analysis passes`),
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(`Plan: 5 % (until ${time(1)}) → 25 % (until ${time(2)}) → 100 %`),
    ).toBeInTheDocument();
  });
});

describe('a flag rollout page', () => {
  it('judges flag on against flag off, with the traffic split, and names the flag turned off', async () => {
    const created = await createRollout(rollouts.server, flagRolloutSpec({ defect: DEFECT }));
    rollouts.server.advance(40);
    const failed = await getRollout(rollouts.server, created.id);
    expect(failed.state).toBe('rolled-back');
    await renderAppAs(rollouts, 'vic-viewer', `/rollouts/${failed.id}`);
    await screen.findByRole('heading', { name: 'New checkout for everyone' }, { timeout: 10_000 });
    expect(screen.getByRole('status', { name: 'Reason' })).toHaveTextContent(
      /^rolled back: flag on 5xx rate [\d.]+ % vs flag off [\d.]+ %, .*flag new-checkout off in staging/,
    );
    const charts = screen.getByRole('region', { name: 'Flag on against flag off' });
    expect(within(charts).getByRole('figure', { name: /5xx/ })).toBeInTheDocument();
    const step = screen.getByRole('listitem', { name: /: failed$/ });
    expect(
      within(step).getByText(/^Split: flag on got [\d.]+ % of the traffic, [\d.]+ % expected/),
    ).toBeInTheDocument();
  });
});

describe('the rollout controls', () => {
  const names = (group: HTMLElement) =>
    within(group)
      .getAllByRole('button')
      .map((b) => b.textContent);

  it('shows a viewer only pause and abort: stopping is anyone’s', async () => {
    const { healthy } = await twoRollouts();
    await renderAppAs(rollouts, 'vic-viewer', `/rollouts/${healthy.id}`);
    const group = await screen.findByRole(
      'group',
      { name: 'Rollout controls' },
      { timeout: 10_000 },
    );
    await waitFor(() => expect(names(group)).toEqual(['Pause', 'Abort']));
  });

  it('shows a developer promote, promote fully, pause and abort, with the promote pending until answered', async () => {
    const { healthy } = await twoRollouts();
    const user = userEvent.setup();
    await renderAppAs(rollouts, 'dev-dana', `/rollouts/${healthy.id}`);
    const group = await screen.findByRole(
      'group',
      { name: 'Rollout controls' },
      { timeout: 10_000 },
    );
    await waitFor(() =>
      expect(names(group)).toEqual(['Promote', 'Promote fully', 'Pause', 'Abort']),
    );

    const release = rollouts.hold(/\/promote$/);
    await user.click(within(group).getByRole('button', { name: 'Promote' }));
    const pending = await within(group).findByRole('button', { name: 'Promoting…' });
    expect(pending).toHaveAttribute('aria-busy', 'true');
    // Nothing else can be pressed while a control is in flight; the server has not moved yet.
    expect(within(group).getByRole('button', { name: 'Pause' })).toBeDisabled();
    expect((await getRollout(rollouts.server, healthy.id)).stepIndex).toBe(0);
    release();
    await screen.findByText(/step 2 of 4 · 25 %/);
    expect((await getRollout(rollouts.server, healthy.id)).weight).toBe(25);
  });

  it('pauses, then offers resume to a developer, which starts the same step again', async () => {
    const { healthy } = await twoRollouts();
    const user = userEvent.setup();
    await renderAppAs(rollouts, 'dev-dana', `/rollouts/${healthy.id}`);
    const group = await screen.findByRole(
      'group',
      { name: 'Rollout controls' },
      { timeout: 10_000 },
    );
    await user.click(await within(group).findByRole('button', { name: 'Pause' }));
    await screen.findByText(/paused by dev-dana/);
    expect(names(group)).toEqual(['Promote', 'Promote fully', 'Resume', 'Abort']);
    expect((await getRollout(rollouts.server, healthy.id)).state).toBe('paused');

    await user.click(within(group).getByRole('button', { name: 'Resume' }));
    await waitFor(() =>
      expect(names(group)).toEqual(['Promote', 'Promote fully', 'Pause', 'Abort']),
    );
    expect(screen.queryByRole('status', { name: 'Reason' })).not.toBeInTheDocument();
    // Resume starts the same step again; it does not promote.
    const resumed = await getRollout(rollouts.server, healthy.id);
    expect([resumed.state, resumed.stepIndex]).toEqual(['progressing', 0]);
  });

  it('promotes fully: 100 % at once, with nothing left to control', async () => {
    const { healthy } = await twoRollouts();
    const user = userEvent.setup();
    await renderAppAs(rollouts, 'dev-dana', `/rollouts/${healthy.id}`);
    const group = await screen.findByRole(
      'group',
      { name: 'Rollout controls' },
      { timeout: 10_000 },
    );
    await user.click(await within(group).findByRole('button', { name: 'Promote fully' }));
    await screen.findByText(/· 100 %/);
    await waitFor(() => expect(group).toBeEmptyDOMElement());
    const after = await getRollout(rollouts.server, healthy.id);
    expect([after.state, after.weight]).toEqual(['succeeded', 100]);
  });

  it('aborts only after the abort is confirmed, with the reason given, and then offers retry', async () => {
    const { healthy } = await twoRollouts();
    const user = userEvent.setup();
    await renderAppAs(rollouts, 'sam-sre', `/rollouts/${healthy.id}`);
    const group = await screen.findByRole(
      'group',
      { name: 'Rollout controls' },
      { timeout: 10_000 },
    );
    await user.click(await within(group).findByRole('button', { name: 'Abort' }));
    const dialog = screen.getByRole('alertdialog', { name: 'Abort Checkout 2.4.0?' });
    // Thinking better of it changes nothing.
    await user.click(within(dialog).getByRole('button', { name: 'Keep it running' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect((await getRollout(rollouts.server, healthy.id)).state).toBe('progressing');

    await user.click(within(group).getByRole('button', { name: 'Abort' }));
    const again = screen.getByRole('alertdialog');
    await user.type(within(again).getByRole('textbox', { name: 'Reason (optional)' }), 'pager');
    await user.click(within(again).getByRole('button', { name: 'Abort now' }));
    await screen.findByText('aborted by sam-sre: pager: all traffic back on stable');
    const after = await getRollout(rollouts.server, healthy.id);
    expect(after.state).toBe('aborted');
    expect(after.weight).toBe(0);
    await waitFor(() => expect(names(group)).toEqual(['Retry']));

    await user.click(within(group).getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(names(group)).toEqual(['Promote', 'Promote fully', 'Pause', 'Abort']),
    );
    const retried = await getRollout(rollouts.server, healthy.id);
    expect([retried.state, retried.stepIndex, retried.weight]).toEqual(['progressing', 0, 5]);
  });
});
