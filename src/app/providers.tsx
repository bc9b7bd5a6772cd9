import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Backend } from '@/backend/backend';
import { BackendProvider } from '@/lib/backend-context';

export function Providers({
  backend,
  queryClient,
  children,
}: {
  backend: Backend;
  queryClient: QueryClient;
  children: ReactNode;
}) {
  return (
    <BackendProvider backend={backend}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </BackendProvider>
  );
}
