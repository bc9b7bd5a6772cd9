import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import type { Backend } from '@/backend/backend';
import { BackendProvider } from '@/lib/backend-context';
import { createHttpBackend, type FetchFunction } from '@/backend/http/http-backend';

interface Rendered extends RenderResult {
  backend: Backend;
  queryClient: QueryClient;
}

/** Renders UI over the real HTTP backend, answering from the given fetch function. */
export function renderWithBackend(
  ui: ReactNode,
  fetch: FetchFunction,
  { path = '/' } = {},
): Rendered {
  const backend = createHttpBackend({ fetch, baseUrl: '', getToken: () => 'test-token' });
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  const result = render(
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>{ui}</MemoryRouter>
      </QueryClientProvider>
    </BackendProvider>,
  );
  return { ...result, backend, queryClient };
}
