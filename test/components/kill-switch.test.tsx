import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { KillSwitch } from '@/components/kill-switch/kill-switch';
import type { StopTiming } from '@/lib/use-stop';
import { resetViewSettings, useViewSettings } from '@/lib/view-settings';
import { apiError, fakeFetch, json, networkDown, type FakeHandler } from '../backend/fake-fetch';
import { renderWithBackend } from './render-app';

const FAST: StopTiming = { retryDelayMs: () => 20, requestTimeoutMs: 1_000 };

/** An answer held back until the test releases it. */
function held(answer: () => Response) {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const handler: FakeHandler = async () => {
    await gate;
    return answer();
  };
  return { handler, release: () => release() };
}

const halted = (...ids: string[]) => json(200, { halted: ids, flagsKilled: [] });

afterEach(() => resetViewSettings());

describe('the kill switch', () => {
  it('goes idle → pending → confirmed, and shows how many it halted only once the backend answered', async () => {
    const answer = held(() => halted('exp-1', 'exp-2'));
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/halt-all': answer.handler });
    renderWithBackend(<KillSwitch timing={FAST} />, fetch);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent('');

    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(status).toHaveTextContent('Halting…');
    expect(status).not.toHaveTextContent(/halted/i);

    answer.release();
    expect(await screen.findByText('Halted 2 experiments')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.body).toEqual({});
  });

  it('stays pending through a failed request, says why, and confirms on the next', async () => {
    const second = held(() => halted('exp-1'));
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/halt-all': [networkDown, second.handler] });
    renderWithBackend(<KillSwitch timing={FAST} />, fetch);

    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        /^Halting… \(attempt 2\)Cannot reach the Faultline server/,
      ),
    );
    expect(screen.getByRole('status')).not.toHaveTextContent(/halted/i);

    second.release();
    expect(await screen.findByText('Halted 1 experiment')).toBeInTheDocument();
    expect(calls).toHaveLength(2);
  });

  it('keeps retrying while the server answers 503', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/v1/halt-all': [
        () => apiError(503, 'unavailable', 'restarting'),
        () => apiError(503, 'unavailable', 'restarting'),
        () => halted('exp-9'),
      ],
    });
    renderWithBackend(<KillSwitch timing={FAST} />, fetch);
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(await screen.findByText('Halted 1 experiment')).toBeInTheDocument();
    expect(calls).toHaveLength(3);
  });

  it('stops retrying and says what to do when the session has ended', async () => {
    const { fetch, calls } = fakeFetch({
      'POST /api/v1/halt-all': () => apiError(401, 'unauthenticated', 'unknown token'),
    });
    renderWithBackend(<KillSwitch timing={FAST} />, fetch);
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(await screen.findByText('Halt all failed')).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Sign in again');
    expect(calls).toHaveLength(1);
  });

  it('limits the halt to the environment in view when scoped so', async () => {
    useViewSettings.setState({ environment: 'production' });
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/halt-all': () => halted() });
    renderWithBackend(<KillSwitch timing={FAST} />, fetch);
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Scope' }),
      'only production',
    );
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(await screen.findByText('Nothing was running')).toBeInTheDocument();
    expect(calls[0]?.body).toEqual({ environment: 'production' });
  });

  it('is pressed by Shift+H, but not while someone types a capital H in a field', async () => {
    const { fetch, calls } = fakeFetch({ 'POST /api/v1/halt-all': () => halted('exp-1') });
    renderWithBackend(
      <>
        <label>
          Note <input />
        </label>
        <KillSwitch timing={FAST} />
      </>,
      fetch,
    );
    await userEvent.type(screen.getByRole('textbox', { name: 'Note' }), 'Hello');
    expect(calls).toHaveLength(0);

    await userEvent.click(document.body);
    await userEvent.keyboard('{Shift>}H{/Shift}');
    expect(await screen.findByText('Halted 1 experiment')).toBeInTheDocument();
    expect(calls).toHaveLength(1);
  });
});
