import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveBlastRadius, type BlastRadius } from '@/domain';
import { resetDrafts } from '@/features/experiments/designer/draft-store';
import { renderDesigner, startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;

beforeEach(async () => {
  localStorage.clear();
  resetDrafts();
  server = await startTestServer();
});

afterEach(async () => {
  await server.close();
});

async function chooseTarget(service: string, environment: string) {
  await userEvent.selectOptions(screen.getByLabelText('Service'), service);
  await userEvent.selectOptions(screen.getByLabelText('Environment'), environment);
}

describe('the blast radius on the fleet', () => {
  it('shows the fleet of the chosen service', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await chooseTarget('checkout', 'staging');
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent('1 of 12 containers');
  });
});
