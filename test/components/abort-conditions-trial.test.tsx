import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetDrafts } from '@/features/experiments/designer/draft-store';
import { renderDesigner, startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;

beforeEach(async () => {
  localStorage.clear();
  resetDrafts();
  server = await startTestServer();
});

afterEach(() => server.close());

const user = () => userEvent.setup({ delay: null });

async function typeInto(label: string | RegExp, text: string) {
  const box = screen.getByLabelText(label);
  await user().clear(box);
  if (text) await user().type(box, text);
}

async function pasteInto(label: string, text: string) {
  const box = screen.getByLabelText(label);
  await user().clear(box);
  await user().click(box);
  await user().paste(text);
}

/** A short CPU experiment on checkout in staging: one 60 s step, 5xx > 1 % for 10 s. */
async function designShortExperiment() {
  await user().selectOptions(screen.getByLabelText('Service'), 'checkout');
  await user().selectOptions(screen.getByLabelText('Environment'), 'staging');
  await user().click(screen.getByRole('radio', { name: 'A percentage' }));
  await typeInto('Percentage of matching containers (%)', '25');
  await typeInto('Magnitude of step 1 (%)', '50');
  await typeInto('Duration of step 1 (s)', '60');
  await user().selectOptions(screen.getByLabelText('Metric of condition 1'), '5xx rate');
  await typeInto('Threshold of condition 1 (%)', '1');
  await typeInto('Window of condition 1 (s)', '10');
  await pasteInto('Name', 'Short CPU pressure on checkout');
  await pasteInto('Hypothesis', 'Checkout keeps its 5xx rate under 1 %.');
}

const condition = (n: number) =>
  within(screen.getByRole('listitem', { name: `Abort condition ${n}` }));

describe('abort conditions that can work', { timeout: 30_000 }, () => {
  it('refuses a window longer than the run, next to the window, until it fits', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await typeInto('Window of condition 1 (s)', '90');
    const window = screen.getByLabelText('Window of condition 1 (s)');
    expect(window).toHaveAccessibleDescription(
      /longer than the run \(1 min\): this condition could never trip/,
    );
    expect(screen.getByRole('button', { name: 'Review and start' })).toBeDisabled();
    await typeInto('Window of condition 1 (s)', '30');
    expect(window).not.toHaveAccessibleDescription(/longer than the run/);
    expect(screen.getByRole('button', { name: 'Review and start' })).toBeEnabled();
  });

  it('says what value already holds, with its unit', async () => {
    server.tick(30);
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await user().selectOptions(screen.getByLabelText('Metric of condition 1'), 'CPU');
    await typeInto('Threshold of condition 1 (%)', '1');
    await typeInto('Window of condition 1 (s)', '0');
    const alert = await condition(1).findByRole('alert');
    expect(alert).toHaveTextContent(/^Already holds: CPU is now \d+(\.\d+)? %, above 1 %\./);
  });

  it('says a rise of a rate is in percentage points', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await user().selectOptions(screen.getByLabelText('Form of condition 1'), 'keeps rising');
    expect(
      screen.getByLabelText('Rise of condition 1, more than (percentage points)'),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText('Rise of condition 1, more than (percentage points)'),
    ).toHaveAccessibleDescription(/1 % → 3 % is a rise of 2 points/);
  });

  it('previews "keeps rising" as a slope from the window start, not as a flat threshold', async () => {
    server.tick(30);
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await user().selectOptions(screen.getByLabelText('Metric of condition 1'), 'CPU');
    await user().selectOptions(screen.getByLabelText('Form of condition 1'), 'keeps rising');
    await typeInto('Rise of condition 1, more than (percentage points)', '5');
    await typeInto('Window of condition 1 (s)', '10');
    const chart = await condition(1).findByRole('img', { name: /trips above a slope/ });
    const [, from, to] =
      /slope from ([\d.]+) % to ([\d.]+) % over 10 s/.exec(
        chart.getAttribute('aria-label') ?? '',
      ) ?? [];
    expect(Number(to) - Number(from)).toBeCloseTo(5, 1);
    expect(chart).not.toHaveAccessibleName(/threshold/);
    const slope = within(chart).getByTestId('rising-slope').querySelector('line');
    // Drawn rising: the end sits higher on screen (a smaller y) than the start.
    expect(Number(slope?.getAttribute('y2'))).toBeLessThan(Number(slope?.getAttribute('y1')));
  });

  it('lists each condition with its window and scope in the review', async () => {
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await user().click(screen.getByRole('button', { name: 'Add abort condition' }));
    await user().selectOptions(screen.getByLabelText('Scope of condition 2'), 'the whole service');
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    const list = screen.getByRole('list', { name: 'Abort conditions' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      '5xx rate > 1 %, window 10 s, on the blast radius (3 of 12 containers)',
      'error rate > 1 %, window 10 s, on the whole service (12 containers)',
    ]);
  });

  it("takes the server's refusal away once the condition that held is changed", async () => {
    server.tick(30);
    await renderDesigner(server, await tokenFor(server, 'sam-sre'));
    await designShortExperiment();
    await user().selectOptions(screen.getByLabelText('Metric of condition 1'), 'CPU');
    await typeInto('Threshold of condition 1 (%)', '1');
    await typeInto('Window of condition 1 (s)', '0');
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    await user().click(screen.getByRole('button', { name: 'Start in staging' }));
    expect(await screen.findByText(/steady-state check failed/)).toBeInTheDocument();
    await user().click(screen.getByRole('button', { name: 'Back to design' }));
    await typeInto('Threshold of condition 1 (%)', '99');
    await waitFor(() => expect(condition(1).queryByRole('alert')).toBeNull());
    await user().click(screen.getByRole('button', { name: 'Review and start' }));
    expect(screen.queryByText(/steady-state check failed/)).toBeNull();
  });
});
