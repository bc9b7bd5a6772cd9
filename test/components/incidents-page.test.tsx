import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Incident } from '@/domain/incidents';
import { cpuSpec, startExperiment } from '../mock-server/test-server';
import { renderApp, startAppServer, type AppServer } from './app-harness';

let app: AppServer;
beforeEach(async () => {
  app = await startAppServer();
  app.server.advance(5);
});
afterEach(async () => {
  await app.close();
});

/** An experiment that aborts on its first beat, which opens an incident. */
async function anAbort(): Promise<Incident> {
  await startExperiment(
    app.server,
    cpuSpec({
      name: 'Immediate abort on checkout',
      abortConditions: [
        {
          kind: 'threshold',
          metric: 'cpu',
          comparator: '>',
          threshold: 60,
          windowSeconds: 0,
          scope: 'target',
        },
      ],
    }),
  );
  app.server.advance(2);
  const listed = (await app.server.call('GET', '/api/v1/incidents')).json() as {
    incidents: Incident[];
  };
  expect(listed.incidents).toHaveLength(1);
  return listed.incidents[0]!;
}

async function openIncidents(user: string) {
  const rendered = await renderApp(app, user, '/incidents');
  await screen.findByRole('heading', { level: 1, name: 'Incidents' }, { timeout: 15_000 });
  return rendered;
}

const stored = async (id: string) =>
  (await app.server.call('GET', `/api/v1/incidents/${id}`)).json() as Incident;

describe('the incidents page', () => {
  it('says so when there has been no incident', async () => {
    await openIncidents('sam-sre');
    expect(await screen.findByText('No incidents in the last 90 days.')).toBeInTheDocument();
  });

  it('shows the incident an abort opened, and lets an SRE post an update and resolve it', async () => {
    const incident = await anAbort();
    await openIncidents('sam-sre');
    const card = await screen.findByRole('article', { name: incident.title });
    expect(within(card).getByText('Open')).toBeInTheDocument();
    expect(within(card).getByText(incident.summary)).toBeInTheDocument();

    const post = within(card).getByRole('button', { name: 'Post update' });
    expect(post).toBeDisabled();
    await userEvent.type(within(card).getByLabelText('Update'), 'Rolled back the checkout pool');
    await userEvent.click(post);
    await waitFor(async () =>
      expect((await stored(incident.id)).updates.map((u) => u.text)).toContain(
        'Rolled back the checkout pool',
      ),
    );
    // The update shows with its author, and the field is empty for the next one.
    await waitFor(() => expect(card).toHaveTextContent(/sam-sre.*: Rolled back the checkout pool/));
    expect(within(card).getByLabelText('Update')).toHaveValue('');

    await userEvent.click(within(card).getByRole('button', { name: 'Resolve' }));
    await waitFor(async () => expect((await stored(incident.id)).state).toBe('resolved'));
    await waitFor(() => expect(within(card).getByText('Resolved')).toBeInTheDocument());
    expect(within(card).queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('shows a viewer the incident without the forms to change it', async () => {
    const incident = await anAbort();
    await openIncidents('vic-viewer');
    const card = await screen.findByRole('article', { name: incident.title });
    expect(within(card).getByText('Open')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Post update' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'Resolve' })).toBeNull();
  });

  it('shows an incident opened while the page is open, from the live stream', async () => {
    await openIncidents('sam-sre');
    await screen.findByText('No incidents in the last 90 days.');
    const incident = await anAbort();
    expect(await screen.findByRole('article', { name: incident.title })).toBeInTheDocument();
  });
});
