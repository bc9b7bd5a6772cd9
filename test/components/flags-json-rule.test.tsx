import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetFlagDrafts } from '@/features/flags/flag-draft-store';
import { useViewSettings } from '@/lib/view-settings';
import { renderFlags, startFlagsServer, type FlagsServer } from './flags-harness';

let server: FlagsServer;
beforeEach(async () => {
  localStorage.clear();
  resetFlagDrafts();
  useViewSettings.getState().setEnvironment('staging');
  server = await startFlagsServer();
});
afterEach(() => server.close());

const user = () => userEvent.setup();
/** A substring test flagd allows and the rule forms cannot draw. */
const targeting = { if: [{ in: ['@faultline.dev', { var: 'email' }] }, 'on', 'off'] };

async function importStaffTools() {
  const answer = await server.api('POST', '/api/v1/flags/import', 'dev-dana', {
    environment: 'staging',
    document: {
      flags: {
        staffTools: {
          state: 'ENABLED',
          variants: { on: true, off: false },
          defaultVariant: 'off',
          targeting,
        },
      },
    },
  });
  expect(answer.status).toBe(200);
}

describe('a JSON rule in the flag editor', () => {
  it('shows imported targeting the forms cannot draw as a read-only JSON rule, as written', async () => {
    await importStaffTools();
    await renderFlags(server, 'dev-dana', '/flags/staffTools');
    const rule = await screen.findByRole('region', { name: 'JSON rule for targeting in staging' });
    expect(
      within(rule).getByLabelText('JSON rule text for targeting in staging'),
    ).toHaveTextContent('"@faultline.dev"');
    expect(screen.queryByRole('button', { name: 'Add rule in staging' })).toBeNull();
    expect(
      await server.evaluate('staging', 'staffTools', {
        targetingKey: 'a',
        email: 'ana@faultline.dev',
      }),
    ).toMatchObject({ value: true, variant: 'on' });
  }, 20_000);

  it('edits it as JSON: text that is not JSON is refused next to the field, a rule flagd refuses is refused on save', async () => {
    await importStaffTools();
    await renderFlags(server, 'dev-dana', '/flags/staffTools');
    const rule = await screen.findByRole('region', { name: 'JSON rule for targeting in staging' });
    await user().click(within(rule).getByRole('button', { name: 'Edit as JSON' }));
    const box = within(rule).getByLabelText('JSON rule for targeting in staging');
    await user().clear(box);
    await user().type(box, '{{"if": [[');
    await user().click(within(rule).getByRole('button', { name: 'Apply JSON' }));
    expect(box).toHaveAccessibleDescription(/not JSON/);

    await user().clear(box);
    await user().type(box, '{{"nope": [[1]}');
    await user().click(within(rule).getByRole('button', { name: 'Apply JSON' }));
    await user().click(screen.getByRole('button', { name: 'Save flag' }));
    await waitFor(() =>
      expect(within(rule).getByText(/flagd refuses this JSON rule/)).toBeVisible(),
    );
    expect((await server.flag('staffTools')).environments.staging.logic).toEqual(targeting);
  }, 20_000);
});
