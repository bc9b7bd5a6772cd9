import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type FaultlineApp } from '../../mock-server/app';
import { ManualClock } from '../../mock-server/clock';
import { BackendError } from '@/backend/errors';
import type { Backend } from '@/backend/backend';
import { createHttpBackend } from '@/backend/http/http-backend';

export interface ContractServer {
  /** The real server, once `beforeAll` has run. */
  server(): FaultlineApp;
  /** The HTTP adapter signed in as a demo user (ada-admin, sam-sre, dev-dana, vic-viewer). */
  signIn(user: string): Promise<Backend>;
}

/**
 * The real server on a loopback socket for one test file, with a clock that stands still, and
 * the HTTP adapter over it: the set-up a capability's contract test needs.
 */
export function contractServer(): ContractServer {
  let server: FaultlineApp | undefined;
  let baseUrl = '';
  const backendWith = (token: string | null): Backend =>
    createHttpBackend({ fetch: (i, init) => fetch(i, init), baseUrl, getToken: () => token });

  beforeAll(async () => {
    server = await buildApp({
      database: ':memory:',
      clock: new ManualClock(Date.UTC(2025, 0, 6, 9)),
      sampleData: false,
      ticking: false,
    });
    await server.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => server?.app.close());

  return {
    server() {
      if (!server) throw new Error('the contract server starts in beforeAll');
      return server;
    },
    async signIn(user) {
      const session = await backendWith(null).identity!.createDemoSession!(user);
      return backendWith(session.token);
    },
  };
}

/** The domain error a refused call of the adapter rejects with. */
export async function failure(promise: Promise<unknown>): Promise<BackendError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof BackendError))
    throw new Error(`expected a BackendError, got ${String(error)}`);
  return error;
}
