import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveBlastRadius, type BlastRadius, type Instance } from '@/domain';
import { resetDrafts, useDrafts } from '@/features/experiments/designer/draft-store';
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

const user = () => userEvent.setup({ delay: null });

async function chooseTarget(service: string, environment: string) {
  await user().selectOptions(screen.getByLabelText('Service'), service);
  await user().selectOptions(screen.getByLabelText('Environment'), environment);
}

async function typeInto(label: string | RegExp, text: string) {
  const box = screen.getByLabelText(label);
  await user().clear(box);
  if (text) await user().type(box, text);
}

/** Long text arrives in one paste rather than key by key. */
async function pasteInto(label: string, text: string) {
  const box = screen.getByLabelText(label);
  await user().clear(box);
  await user().click(box);
  await user().paste(text);
}

/** The ids the grid marks with `mark`, read from each instance's accessible name. */
function marked(mark: string): string[] {
  const pattern = new RegExp(`^(host|container) (\\S+): ${mark}$`);
  return screen
    .queryAllByRole('listitem')
    .map((item) => pattern.exec(item.getAttribute('aria-label') ?? '')?.[2])
    .filter((id): id is string => id !== undefined)
    .sort();
}

const ids = (instances: readonly Instance[]) => instances.map((i) => i.id).sort();

describe('the blast radius on the fleet', () => {
  const checkoutStaging = () => server.faultline.simulation.instancesOf('checkout', 'staging');

  it.each<[string, BlastRadius, () => Promise<void>]>([
    [
      'all containers',
      { scope: 'containers', selector: {}, mode: 'all', source: { kind: 'selector' } },
      async () => {
        await user().click(screen.getByRole('radio', { name: 'All' }));
      },
    ],
    [
      'a count of 5 containers',
      { scope: 'containers', selector: {}, mode: 'count', value: 5, source: { kind: 'selector' } },
      async () => {
        await user().click(screen.getByRole('radio', { name: 'A count' }));
        await typeInto('Number of containers', '5');
      },
    ],
    [
      '25 % of the containers',
      {
        scope: 'containers',
        selector: {},
        mode: 'percent',
        value: 25,
        source: { kind: 'selector' },
      },
      async () => {
        await user().click(screen.getByRole('radio', { name: 'A percentage' }));
        await typeInto('Percentage of matching containers (%)', '25');
      },
    ],
    [
      '50 % of the hosts in zone a',
      {
        scope: 'hosts',
        selector: { zone: 'a' },
        mode: 'percent',
        value: 50,
        source: { kind: 'selector' },
      },
      async () => {
        await user().click(screen.getByRole('radio', { name: 'Hosts' }));
        await user().click(screen.getByRole('button', { name: 'zone a' }));
        await user().click(screen.getByRole('radio', { name: 'A percentage' }));
        await typeInto('Percentage of matching hosts (%)', '50');
      },
    ],
    [
      '2 containers of the canary',
      { scope: 'containers', selector: {}, mode: 'count', value: 2, source: { kind: 'canary' } },
      async () => {
        await user().click(screen.getByRole('radio', { name: 'Its canary' }));
        await user().click(screen.getByRole('radio', { name: 'A count' }));
        await typeInto('Number of containers', '2');
      },
    ],
  ])(
    '%s: the count and the highlighted instances are what the domain resolves',
    async (_case, radius, setUp) => {
      await renderDesigner(server, await tokenFor(server, 'sam-sre'));
      await chooseTarget('checkout', 'staging');
      await setUp();
      const eligible =
        radius.source.kind === 'canary'
          ? (i: Instance) => i.labels.version === 'canary'
          : undefined;
      const expected = resolveBlastRadius(radius, checkoutStaging(), eligible);
      const noun = radius.scope === 'hosts' ? 'hosts' : 'containers';
      expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
        `${expected.selected.length} of ${expected.matching.length} ${expected.matching.length === 1 ? noun.slice(0, -1) : noun}`,
      );
      expect(marked('selected')).toEqual(ids(expected.selected));
      expect(marked('matches, not selected')).toEqual(
        ids(expected.matching.filter((i) => !expected.selected.includes(i))),
      );
      expect(expected.selected.length).toBeGreaterThan(0);
    },
  );

  it("inherits a flag's cohort: only the instances serving it, as the server reports them", async () => {
    const token = await tokenFor(server, 'sam-sre');
    await renderDesigner(server, token);
    await chooseTarget('checkout', 'staging');
    await user().click(screen.getByRole('radio', { name: "A flag's cohort" }));
    expect(screen.getByLabelText('Flag')).toHaveAccessibleDescription('choose a flag');
    await screen.findByRole('option', { name: 'new-checkout' });
    await user().selectOptions(screen.getByLabelText('Flag'), 'new-checkout');
    const answer = await server.faultline.app.inject({
      method: 'GET',
      url: '/api/v1/flags/new-checkout/cohort?service=checkout&environment=staging',
      headers: { authorization: `Bearer ${token}` },
    });
    const cohort = answer.json() as { refused: string | null; instanceIds: string[] };
    expect(cohort.refused).toBeNull();
    const radius: BlastRadius = {
      scope: 'containers',
      selector: {},
      mode: 'all',
      source: { kind: 'flag', flagKey: 'new-checkout' },
    };
    await user().click(screen.getByRole('radio', { name: 'All' }));
    const expected = resolveBlastRadius(radius, checkoutStaging(), (i) =>
      cohort.instanceIds.includes(i.id),
    );
    expect(expected.selected.length).toBeGreaterThan(0);
    expect(expected.selected.length).toBeLessThan(12);
    await waitFor(() => expect(marked('selected')).toEqual(ids(expected.selected)));
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
      `${expected.selected.length} of ${expected.matching.length} containers`,
    );
  });

  it('marks the containers of a selected host as hit with it', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await chooseTarget('checkout', 'staging');
    await user().click(screen.getByRole('radio', { name: 'Hosts' }));
    const host = marked('selected')[0];
    expect(host).toBeDefined();
    const onHost = checkoutStaging().filter((i) => i.kind === 'container' && i.hostId === host);
    expect(marked('hit with its host')).toEqual(ids(onHost));
  });

  it('follows the environment: the same radius resolves over production’s fleet', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await chooseTarget('checkout', 'production');
    await user().click(screen.getByRole('radio', { name: 'A percentage' }));
    await typeInto('Percentage of matching containers (%)', '25');
    expect(screen.getByRole('status', { name: 'Resolved blast radius' })).toHaveTextContent(
      '7 of 27 containers',
    );
  });
});

describe('validation while typing', () => {
  it('shows an out-of-range magnitude’s message next to the field and sends nothing', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await chooseTarget('checkout', 'staging');
    await typeInto('Name', 'Too hot');
    await typeInto('Hypothesis', 'It copes.');
    await typeInto('Magnitude of step 1 (%)', '150');
    const field = screen.getByLabelText('Magnitude of step 1 (%)');
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(/magnitude must be between 1 and 100 %/);
    expect(screen.getByRole('button', { name: 'Review and start' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Save draft' })).toBeDisabled();
    await typeInto('Magnitude of step 1 (%)', '90');
    expect(screen.getByLabelText('Magnitude of step 1 (%)')).toHaveAttribute(
      'aria-invalid',
      'false',
    );
    expect(screen.getByRole('button', { name: 'Review and start' })).toBeEnabled();
    expect(server.requests.filter((r) => r.startsWith('POST') || r.startsWith('PUT'))).toEqual([]);
  });

  it('names the field at fault for a bad window and a missing service', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    expect(screen.getByLabelText('Service')).toHaveAccessibleDescription('choose a service');
    await typeInto('Window of condition 1 (s)', '1.5');
    expect(screen.getByLabelText('Window of condition 1 (s)')).toHaveAccessibleDescription(
      /window must be whole seconds/,
    );
  });
});

describe('drafts', () => {
  it('survive a remount and a reload of the stored state', async () => {
    const token = await tokenFor(server, 'dev-dana');
    const first = await renderDesigner(server, token);
    await typeInto('Name', 'Kept across reloads');
    await typeInto('Magnitude of step 1 (%)', '42');
    first.unmount();

    // A reload: the in-memory store is gone; what was written to localStorage comes back.
    const stored = localStorage.getItem('faultline.drafts');
    expect(stored).toContain('Kept across reloads');
    useDrafts.setState({ drafts: {} });
    localStorage.setItem('faultline.drafts', stored ?? '');
    await useDrafts.persist.rehydrate();
    await renderDesigner(server, token);
    expect(screen.getByLabelText('Name')).toHaveValue('Kept across reloads');
    expect(screen.getByLabelText('Magnitude of step 1 (%)')).toHaveValue('42');
  });

  it('asks before leaving with unsaved changes, and stays when told to', async () => {
    const { router } = await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await typeInto('Name', 'Half done');
    void router.navigate('/elsewhere');
    await screen.findByText('Leave with unsaved changes?');
    const dialog = screen.getByRole('alertdialog', { name: 'Leave with unsaved changes?' });
    await user().click(within(dialog).getByRole('button', { name: 'Stay' }));
    expect(screen.getByLabelText('Name')).toHaveValue('Half done');
    void router.navigate('/elsewhere');
    await screen.findByText('Leave with unsaved changes?');
    await user().click(
      within(screen.getByRole('alertdialog')).getByRole('button', { name: 'Leave' }),
    );
    expect(await screen.findByText('Somewhere else')).toBeInTheDocument();
  });

  it('leaves without asking when nothing was changed', async () => {
    const { router } = await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    void router.navigate('/elsewhere');
    expect(await screen.findByText('Somewhere else')).toBeInTheDocument();
  });
});

/** The sample CPU experiment, designed from scratch. */
async function designSampleCpuExperiment() {
  await chooseTarget('checkout', 'staging');
  await user().click(screen.getByRole('radio', { name: 'A percentage' }));
  await typeInto('Percentage of matching containers (%)', '25');
  await typeInto('Magnitude of step 1 (%)', '50');
  await typeInto('Duration of step 1 (s)', '120');
  await user().click(screen.getByRole('button', { name: 'Add step' }));
  await typeInto('Magnitude of step 2 (%)', '60');
  await user().selectOptions(screen.getByLabelText('Metric of condition 1'), '5xx rate');
  await typeInto('Threshold of condition 1 (%)', '1');
  await typeInto('Window of condition 1 (s)', '10');
  await user().click(screen.getByRole('button', { name: 'Add abort condition' }));
  await user().selectOptions(screen.getByLabelText('Form of condition 2'), 'keeps rising');
  await typeInto('Rise of condition 2, more than (percentage points)', '2');
  await typeInto('Window of condition 2 (s)', '30');
  await pasteInto('Name', 'CPU pressure on checkout');
  await pasteInto(
    'Hypothesis',
    'Checkout keeps its 5xx rate under 1 % while a quarter of its containers are CPU-starved.',
  );
}

// Designing a whole experiment is a few hundred keystrokes in jsdom.
describe('review and start', { timeout: 30_000 }, () => {
  it('reads the sample CPU experiment back in one plain paragraph', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designSampleCpuExperiment();
    expect(
      screen.getByRole('img', {
        name: /^Ramp: 50 % for 2 min, then 60 % for 2 min\. Total 4 min\.$/,
      }),
    ).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    expect(screen.getByLabelText('Summary')).toHaveTextContent(
      'Inject 50 % CPU, then 60 %, on 3 of 12 containers of checkout in staging for 4 minutes. ' +
        'Abort if the 5xx rate is above 1 % for 10 s or the error rate keeps rising.',
    );
  });

  it('starts in staging after the review, and the draft is done with', async () => {
    server.tick(20);
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designSampleCpuExperiment();
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    await user().click(screen.getByRole('button', { name: 'Start in staging' }));
    const page = await screen.findByText(/^Experiment page /);
    const id = page.textContent?.replace('Experiment page ', '') ?? '';
    const stored = server.faultline.context.experiments.get(id);
    expect(stored?.state).toBe('running');
    expect(stored?.run?.targets).toHaveLength(3);
    expect(stored?.steps).toEqual([
      { magnitude: 50, durationSeconds: 120 },
      { magnitude: 60, durationSeconds: 120 },
    ]);
    await waitFor(() => expect(useDrafts.getState().drafts).toEqual({}));
  });

  it('in production, starts only with the environment typed again, sent as the second confirmation', async () => {
    server.tick(20);
    await renderDesigner(server, await tokenFor(server, 'ada-admin'));
    await designSampleCpuExperiment();
    await user().selectOptions(screen.getByLabelText('Environment'), 'production');
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    expect(screen.getByLabelText('Summary')).toHaveTextContent(
      'on 7 of 27 containers of checkout in production',
    );
    const start = screen.getByRole('button', { name: 'Start in production' });
    expect(start).toBeDisabled();
    await user().type(screen.getByLabelText(/Type production to confirm/), 'production');
    await user().click(start);
    const page = await screen.findByText(/^Experiment page /);
    const id = page.textContent?.replace('Experiment page ', '') ?? '';
    expect(server.faultline.context.experiments.get(id)?.state).toBe('running');
  });

  it('lets a developer save the draft on the server but not start it', async () => {
    await renderDesigner(server, await tokenFor(server, 'dev-dana'));
    await designSampleCpuExperiment();
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    expect(screen.getByRole('button', { name: 'Start in staging' })).toBeDisabled();
    expect(screen.getByText(/Only an SRE or an admin can start/)).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Save draft' }));
    expect(
      await screen.findByRole('heading', { name: 'Edit “CPU pressure on checkout”' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/on the server as version 1/)).toBeInTheDocument();
    const saved = server.faultline.context.experiments.list({});
    expect(saved.map((e) => [e.name, e.state, e.createdBy])).toEqual([
      ['CPU pressure on checkout', 'draft', 'dev-dana'],
    ]);
  });

  it('shows the server’s refusal when a condition already holds (the steady-state check)', async () => {
    server.tick(30);
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designSampleCpuExperiment();
    await user().selectOptions(screen.getByLabelText('Metric of condition 1'), 'CPU');
    await typeInto('Threshold of condition 1 (%)', '1');
    await typeInto('Window of condition 1 (s)', '0');
    expect(
      await within(screen.getByRole('listitem', { name: 'Abort condition 1' })).findByText(
        /^Already holds: CPU is now/,
      ),
    ).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    await user().click(screen.getByRole('button', { name: 'Start in staging' }));
    // The value it holds at comes with its unit: "(now 12.3 %)", never a bare "(0.08)".
    expect(
      await screen.findByText(
        /steady-state check failed: .* already holds .*\(now \d+(\.\d+)? %\)/,
      ),
    ).toBeInTheDocument();
    expect(server.faultline.context.experiments.list({}).map((e) => e.state)).toEqual(['draft']);
  });
});
