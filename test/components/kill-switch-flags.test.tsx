import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend } from '@/backend/http/http-backend';
import { KillSwitch } from '@/components/kill-switch/kill-switch';
import type { Experiment } from '@/domain';
import type { Flag } from '@/domain/flags';
import { resetViewSettings } from '@/lib/view-settings';
import { cpuSpec } from '../domain/fixtures';
import { startTestServer, tokenFor, type TestServer } from './designer-harness';

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  resetViewSettings();
  await server.close();
});

async function startInheriting(): Promise<Experiment> {
  const token = await tokenFor(server, 'sam-sre');
  const post = (url: string, body: object) =>
    server.faultline.app.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      payload: body,
    });
  const spec = cpuSpec({
    steps: [{ magnitude: 20, durationSeconds: 600 }],
    blastRadius: {
      scope: 'hosts',
      selector: {},
      mode: 'all',
      source: { kind: 'flag', flagKey: 'new-checkout' },
    },
  });
  const created = (await post('/api/v1/experiments', spec)).json() as Experiment;
  return (
    await post(`/api/v1/experiments/${created.id}/start`, { version: 1 })
  ).json() as Experiment;
}

async function renderKillSwitch(user: string) {
  const token = await tokenFor(server, user);
  const backend = createHttpBackend({ fetch: server.fetch, baseUrl: '', getToken: () => token });
  render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={new QueryClient()}>
        <KillSwitch />
      </QueryClientProvider>
    </BackendProvider>,
  );
}

const storedFlag = () =>
  (
    server.faultline.context.db
      .prepare("SELECT body FROM flags WHERE key = 'new-checkout'")
      .get() as { body: string }
  ).body;
const flagIn = () => (JSON.parse(storedFlag()) as Flag).environments.staging.state;

describe('the kill switch and inherited flags', () => {
  it('also turns off the flags the halted experiments inherited from when asked, and names them', async () => {
    const experiment = await startInheriting();
    await renderKillSwitch('vic-viewer');
    await userEvent.click(screen.getByRole('checkbox', { name: 'also turn off inherited flags' }));
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(
      await screen.findByText('Halted 1 experiment, turned off 1 flag: new-checkout'),
    ).toBeInTheDocument();
    expect(server.faultline.context.experiments.get(experiment.id)?.state).toBe('halted');
    expect(flagIn()).toBe('off');
  });

  it('leaves the flags on when not asked', async () => {
    await startInheriting();
    await renderKillSwitch('vic-viewer');
    expect(
      screen.getByRole('checkbox', { name: 'also turn off inherited flags' }),
    ).not.toBeChecked();
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    expect(await screen.findByText('Halted 1 experiment')).toBeInTheDocument();
    expect(flagIn()).toBe('on');
  });

  it('unticks "also turn off inherited flags" after a press, so the next halt leaves flags alone', async () => {
    await startInheriting();
    await renderKillSwitch('vic-viewer');
    await userEvent.click(screen.getByRole('checkbox', { name: 'also turn off inherited flags' }));
    expect(
      screen.getByRole('checkbox', { name: /also turn off inherited flags/ }),
    ).toHaveAccessibleName('also turn off inherited flags (next press)');
    await userEvent.click(screen.getByRole('button', { name: /halt all/i }));
    await screen.findByText(/^Halted 1 experiment/);
    expect(
      screen.getByRole('checkbox', { name: 'also turn off inherited flags' }),
    ).not.toBeChecked();
  });
});
