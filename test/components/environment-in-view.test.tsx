import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetDrafts } from '@/features/experiments/designer/draft-store';
import { resetFlagDrafts } from '@/features/flags/flag-draft-store';
import { resetViewSettings, useViewSettings } from '@/lib/view-settings';
import { renderDesigner, startTestServer, tokenFor, type TestServer } from './designer-harness';
import { renderFlags, startFlagsServer, type FlagsServer } from './flags-harness';

const user = () => userEvent.setup({ delay: null });

beforeEach(() => {
  localStorage.clear();
  resetFlagDrafts();
  resetDrafts();
  useViewSettings.getState().setEnvironment('staging');
});
afterEach(() => resetViewSettings());

describe('the environment chosen in the header', () => {
  let flags: FlagsServer;
  afterEach(() => flags?.close());

  it('is the tab the flag editor opens on, and another tab says so plainly', async () => {
    flags = await startFlagsServer();
    await renderFlags(flags, 'dev-dana', '/flags/new-checkout');
    expect(await screen.findByRole('tab', { name: /^staging/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.queryByRole('note')).toBeNull();
    await user().click(screen.getByRole('tab', { name: /^production/ }));
    expect(screen.getByRole('note')).toHaveTextContent(
      'These tabs show production, not staging as the header says.',
    );
  });

  it('is what flagd import and export start on', async () => {
    flags = await startFlagsServer();
    await renderFlags(flags, 'dev-dana', '/flags');
    expect(await screen.findByLabelText('Environment for import and export')).toHaveValue(
      'staging',
    );
  });
});

describe('the designer', () => {
  let server: TestServer;
  afterEach(() => server?.close());

  it("starts a new experiment in the header's environment", async () => {
    server = await startTestServer();
    await renderDesigner(server, await tokenFor(server, 'dev-dana'));
    expect(screen.getByLabelText('Environment')).toHaveValue('staging');
    await user().selectOptions(screen.getByLabelText('Environment'), 'testing');
    expect(screen.getByRole('note')).toHaveTextContent(
      'This experiment runs in testing, not staging as the header says.',
    );
  });
});
