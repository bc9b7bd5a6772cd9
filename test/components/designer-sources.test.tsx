import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFromTemplate, type Experiment } from '@/domain';
import { newDraft, resetDrafts, useDrafts } from '@/features/experiments/designer/draft-store';
import { RunInNextEnvironment } from '@/features/experiments/designer/run-in-next-environment';
import { toFaultlineJson } from '@/features/experiments/export/faultline-json';
import { cpuSpec } from '../domain/fixtures';
import {
  createOnServer,
  renderDesigner,
  startTestServer,
  tokenFor,
  type TestServer,
} from './designer-harness';

let server: TestServer;

beforeEach(async () => {
  localStorage.clear();
  resetDrafts();
  server = await startTestServer();
});

afterEach(async () => {
  await server.close();
});

const user = () => userEvent.setup({ delay: null });

async function post(token: string, url: string, payload: object): Promise<Experiment> {
  const answer = await server.faultline.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}` },
    payload,
  });
  expect(answer.statusCode, answer.body).toBe(200);
  return answer.json() as Experiment;
}

describe('templates', () => {
  it('fills the designer from a template', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await user().click(screen.getByText('Start from a template'));
    await user().click(screen.getByRole('button', { name: /^Instance shutdown/ }));
    expect(screen.getByRole('radio', { name: 'Instance shutdown' })).toBeChecked();
    expect(screen.queryByLabelText(/Magnitude of step 1/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('Duration of step 1 (s)')).toHaveValue('300');
    expect(screen.getByLabelText('Metric of condition 2')).toHaveDisplayValue('p99 latency');
  });

  it('asks before a template replaces unsaved work, and keeps it when told to', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await user().type(screen.getByLabelText('Name'), 'Mine');
    await user().click(screen.getByText('Start from a template'));
    await user().click(screen.getByRole('button', { name: /^Error burst/ }));
    await user().click(
      within(screen.getByRole('alertdialog', { name: 'Replace the design?' })).getByRole('button', {
        name: 'Keep mine',
      }),
    );
    expect(screen.getByLabelText('Name')).toHaveValue('Mine');
    expect(screen.getByRole('radio', { name: 'CPU pressure' })).toBeChecked();
  });
});

describe('a ?template= link', () => {
  const keptNewDraft = (edited: boolean) => {
    const draft = newDraft(
      buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'staging' }),
      { kind: 'blank' },
    );
    useDrafts
      .getState()
      .putDraft(
        'new',
        edited ? { ...draft, spec: { ...draft.spec, name: 'My own design' } } : draft,
      );
  };

  it('starts from its template when the new draft kept in this browser holds nothing unsaved', async () => {
    keptNewDraft(false);
    await renderDesigner(
      server,
      await tokenFor(server, 'sam-sre'),
      '/experiments/new?template=error-burst',
    );
    await waitFor(() =>
      expect(screen.getByRole('radio', { name: 'Error injection' })).toBeChecked(),
    );
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('asks before replacing unsaved work: keeping it leaves the draft as it was', async () => {
    keptNewDraft(true);
    await renderDesigner(
      server,
      await tokenFor(server, 'sam-sre'),
      '/experiments/new?template=error-burst',
    );
    const choice = screen.getByRole('alertdialog', { name: 'Start from the template?' });
    expect(choice).toHaveTextContent(
      'This link starts a new experiment from the “Error burst” template, but you have unsaved work in “My own design”.',
    );
    expect(screen.getByLabelText('Name')).toHaveValue('My own design');
    await user().click(within(choice).getByRole('button', { name: 'Keep my draft' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(screen.getByLabelText('Name')).toHaveValue('My own design');
    expect(screen.getByRole('radio', { name: 'CPU pressure' })).toBeChecked();
  });

  it('asks before replacing unsaved work: replacing it starts from the template', async () => {
    keptNewDraft(true);
    await renderDesigner(
      server,
      await tokenFor(server, 'sam-sre'),
      '/experiments/new?template=error-burst',
    );
    await user().click(screen.getByRole('button', { name: 'Replace it with the template' }));
    await waitFor(() =>
      expect(screen.getByRole('radio', { name: 'Error injection' })).toBeChecked(),
    );
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Name')).not.toHaveValue('My own design');
  });
});

describe('importing a file', () => {
  it('rejects a bad file with the field and line at fault, and imports nothing', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await user().type(screen.getByLabelText('Name'), 'Untouched');
    const text = toFaultlineJson(cpuSpec({ name: 'From a file' })).replace(
      '"magnitude": 60',
      '"magnitude": 160',
    );
    await user().upload(
      screen.getByLabelText('Import file…'),
      new File([text], 'bad.json', { type: 'application/json' }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Nothing was imported from bad.json');
    const line = text.split('\n').findIndex((l) => l.includes('160')) + 1;
    expect(alert).toHaveTextContent(
      `experiment.steps.1.magnitude (line ${line}): magnitude must be between 1 and 100 %`,
    );
    expect(screen.getByLabelText('Name')).toHaveValue('Untouched');
  });

  it('imports a good file into the designer', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    const text = toFaultlineJson(cpuSpec({ name: 'From a file' }));
    await user().upload(
      screen.getByLabelText('Import file…'),
      new File([text], 'good.json', { type: 'application/json' }),
    );
    await waitFor(() => expect(screen.getByLabelText('Name')).toHaveValue('From a file'));
    expect(screen.getByLabelText('Service')).toHaveValue('checkout');
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
      '3 of 12 containers',
    );
  });
});

describe('exporting from the designer', () => {
  it('shows the design as a Chaos Mesh manifest, following edits', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    const text = toFaultlineJson(cpuSpec());
    await user().upload(
      screen.getByLabelText('Import file…'),
      new File([text], 'sample.json', { type: 'application/json' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Name')).toHaveValue('CPU pressure on checkout'),
    );
    await user().click(screen.getByText('Export'));
    await user().click(screen.getByRole('button', { name: 'Show Chaos Mesh YAML' }));
    const manifest = await screen.findByLabelText('Chaos Mesh YAML of CPU pressure on checkout');
    expect(manifest).toHaveTextContent('kind: Workflow');
    await user().click(screen.getByRole('button', { name: 'Remove step 2' }));
    await waitFor(() =>
      expect(
        screen.getByLabelText('Chaos Mesh YAML of CPU pressure on checkout'),
      ).toHaveTextContent('kind: StressChaos'),
    );
  });
});

describe('starting from an earlier experiment', () => {
  it('duplicates an experiment into a new draft, leaving the original alone', async () => {
    const token = await tokenFor(server, 'sam-sre');
    const original = await createOnServer(server, token, cpuSpec());
    await renderDesigner(server, token, `/experiments/new?duplicate=${original.id}`);
    expect(await screen.findByDisplayValue('Copy of CPU pressure on checkout')).toBeInTheDocument();
    expect(screen.getByText(/A copy of “CPU pressure on checkout”/)).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
      '3 of 12 containers',
    );
  });

  it('carries an experiment to the next stage with its blast radius resolved there, warning that staging was halted', async () => {
    const token = await tokenFor(server, 'sam-sre');
    const created = await createOnServer(server, token, cpuSpec());
    server.tick(15);
    await post(token, `/api/v1/experiments/${created.id}/start`, { version: created.version });
    server.tick(5);
    await post(token, `/api/v1/experiments/${created.id}/halt`, {});
    await renderDesigner(server, token, `/experiments/new?next=${created.id}`);
    expect(await screen.findByRole('heading', { name: 'Run in production' })).toBeInTheDocument();
    expect(screen.getByLabelText('Environment')).toHaveValue('production');
    expect(screen.getByText(/The blast radius is resolved again in production/)).toHaveTextContent(
      'resolved again in production: 7 of 27 containers (it was 3 of 12 containers in staging)',
    );
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The staging run did not complete cleanly (halted by sam-sre)',
    );
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
      '7 of 27 containers',
    );

    await user().click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(server.faultline.context.experiments.list({ lineageId: created.id })).toHaveLength(2),
    );
    const carried = server.faultline.context.experiments.list({ environment: 'production' });
    expect(carried.map((e) => e.lineageId)).toEqual([created.id]);
  });
});

describe('editing a draft from the server', { timeout: 20_000 }, () => {
  it('saves an edit as the next version', async () => {
    const token = await tokenFor(server, 'dev-dana');
    const created = await createOnServer(server, token, cpuSpec());
    await renderDesigner(server, token, `/experiments/${created.id}/edit`);
    expect(
      await screen.findByRole('heading', { name: 'Edit “CPU pressure on checkout”' }),
    ).toBeInTheDocument();
    await user().clear(screen.getByLabelText('Magnitude of step 2 (%)'));
    await user().type(screen.getByLabelText('Magnitude of step 2 (%)'), '70');
    expect(screen.getByText(/^Unsaved changes/)).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Save draft' }));
    await waitFor(() =>
      expect(server.faultline.context.experiments.get(created.id)?.version).toBe(2),
    );
    expect(server.faultline.context.experiments.get(created.id)?.steps[1]?.magnitude).toBe(70);
    expect(
      await screen.findByText(/^No unsaved changes · on the server as version 2/),
    ).toBeInTheDocument();
  });

  it('offers a copy instead when the experiment is no longer a draft', async () => {
    const token = await tokenFor(server, 'sam-sre');
    const created = await createOnServer(server, token, cpuSpec());
    server.tick(15);
    await post(token, `/api/v1/experiments/${created.id}/start`, { version: created.version });
    await renderDesigner(server, token, `/experiments/${created.id}/edit`, [], []);
    expect(await screen.findByText(/is running: only a draft can be edited/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Duplicate it' })).toHaveAttribute(
      'href',
      `/experiments/new?duplicate=${created.id}`,
    );
  });
});

describe('run in next environment', () => {
  const experiment = (overrides: Partial<Experiment>): Experiment => ({
    ...buildFromTemplate('cpu-pressure', { service: 'checkout', environment: 'testing' }),
    id: 'exp-42',
    lineageId: 'exp-42',
    state: 'completed',
    version: 3,
    createdAt: 0,
    updatedAt: 0,
    createdBy: 'sam-sre',
    run: null,
    ...overrides,
  });

  function Probe({ of }: { of: Experiment }) {
    return <RunInNextEnvironment experiment={of} />;
  }

  it('links straight to the next stage after a clean run', async () => {
    await renderDesigner(server, await tokenFor(server, 'dev-dana'), '/probe', [
      { path: '/probe', element: <Probe of={experiment({})} /> },
    ]);
    expect(await screen.findByRole('link', { name: 'Run in staging' })).toHaveAttribute(
      'href',
      '/experiments/new?next=exp-42',
    );
  });

  it('says the stage did not complete cleanly before carrying it on', async () => {
    const aborted = experiment({
      state: 'aborted',
      run: {
        startedAt: 1,
        startedBy: 'sam-sre',
        targets: ['a'],
        matchingCount: 4,
        stepIndex: 1,
        endedAt: 2,
        outcome: {
          kind: 'aborted',
          at: 2,
          conditionIndex: 0,
          condition: {
            kind: 'threshold',
            metric: 'http_5xx_rate',
            comparator: '>',
            threshold: 1,
            windowSeconds: 10,
            scope: 'target',
          },
          description: '5xx rate > 1 % for 10 s',
          value: 3,
          latest: 3,
        },
      },
    });
    await renderDesigner(server, await tokenFor(server, 'sam-sre'), '/probe', [
      { path: '/probe', element: <Probe of={aborted} /> },
    ]);
    expect(screen.queryByRole('link', { name: /Run in staging/ })).not.toBeInTheDocument();
    await user().click(await screen.findByRole('button', { name: 'Run in staging' }));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'The testing run did not complete cleanly (aborted: 5xx rate > 1 % for 10 s)',
    );
    expect(screen.getByRole('link', { name: 'Carry it to staging anyway' })).toHaveAttribute(
      'href',
      '/experiments/new?next=exp-42',
    );
  });

  it('is not offered to a viewer', async () => {
    await renderDesigner(server, await tokenFor(server, 'vic-viewer'), '/probe', [
      { path: '/probe', element: <Probe of={experiment({})} /> },
    ]);
    expect(screen.queryByText('Run in staging')).not.toBeInTheDocument();
  });

  it('is not offered past production, the last stage', async () => {
    const last = experiment({ environment: 'production' });
    await renderDesigner(server, await tokenFor(server, 'sam-sre'), '/probe', [
      {
        path: '/probe',
        element: (
          <>
            <p>probe</p>
            <Probe of={last} />
          </>
        ),
      },
    ]);
    expect(screen.getByText('probe')).toBeInTheDocument();
    expect(screen.queryByText(/^Run in/)).not.toBeInTheDocument();
  });
});
