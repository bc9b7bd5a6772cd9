import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetDrafts } from '@/features/experiments/designer/draft-store';
import { renderDesigner, startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;

beforeEach(async () => {
  localStorage.clear();
  resetDrafts();
  server = await startTestServer();
  // An agent on "laptop" serving one checkout instance in staging, as a connecting agent registers.
  server.faultline.agents.hub.connect(
    { id: 'token-1', name: 'laptop' },
    {
      host: 'laptop',
      version: '1',
      holding: [],
      targets: [
        {
          name: 'shop-1',
          service: 'checkout',
          environment: 'staging',
          labels: { zone: 'local' },
          pid: 1,
          http: true,
        },
      ],
    },
    () => false,
  );
});

afterEach(async () => {
  await server.close();
});

const user = () => userEvent.setup({ delay: null });

describe('agent targets in the designer', () => {
  it(
    "shows an agent's target in the target picture, and says before the start that packet loss cannot run on it",
    { timeout: 60_000 },
    async () => {
      await renderDesigner(server, await tokenFor(server, 'sam-sre'));
      await user().selectOptions(screen.getByLabelText('Service'), 'checkout');
      await user().selectOptions(screen.getByLabelText('Environment'), 'staging');
      await user().click(screen.getByRole('radio', { name: 'Hosts' }));
      await user().click(screen.getByRole('radio', { name: 'All' }));
      const zone = screen.getByRole('group', { name: 'zone local' });
      expect(within(zone).getByRole('listitem', { name: /^host shop-1: / })).toHaveTextContent(
        'agent on laptop',
      );

      await user().click(screen.getByRole('radio', { name: 'Packet loss' }));
      // The blast radius is every host of checkout in staging, shop-1 among them.
      expect(screen.getByRole('alert')).toHaveTextContent(
        /Packet loss cannot run on shop-1: packet loss needs kernel netem/,
      );

      // Narrowed to the simulated hosts of zone a, packet loss can run: the warning goes.
      await user().click(
        within(screen.getByRole('group', { name: 'zone a' })).getByRole('button', {
          name: 'zone a',
        }),
      );
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();

      // Back on the agent's zone, another attack is fine.
      await user().click(within(zone).getByRole('button', { name: 'zone local' }));
      expect(screen.getByRole('alert')).toHaveTextContent('shop-1');
      await user().click(screen.getByRole('radio', { name: 'CPU pressure' }));
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    },
  );

  it(
    'offers rate limiting and connection drops, each with its share of requests in %, on an agent target',
    { timeout: 60_000 },
    async () => {
      await renderDesigner(server, await tokenFor(server, 'sam-sre'));
      await user().selectOptions(screen.getByLabelText('Service'), 'checkout');
      await user().selectOptions(screen.getByLabelText('Environment'), 'staging');
      await user().click(screen.getByRole('radio', { name: 'Hosts' }));
      await user().click(screen.getByRole('radio', { name: 'All' }));

      await user().click(screen.getByRole('radio', { name: 'Rate limiting' }));
      expect(screen.getByText(/with HTTP 429 Too Many Requests/)).toBeInTheDocument();
      expect(screen.getByLabelText('Magnitude of step 1 (%)')).toHaveValue('10');
      expect(screen.getByText('1–100 %')).toBeInTheDocument();
      // shop-1, an agent's target, is in the blast radius: its fault proxy can do it.
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();

      await user().click(screen.getByRole('radio', { name: 'Connection drops' }));
      expect(screen.getByText(/Cuts the connection of a share of requests/)).toBeInTheDocument();
      expect(screen.getByLabelText('Magnitude of step 1 (%)')).toHaveValue('5');
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    },
  );
});
