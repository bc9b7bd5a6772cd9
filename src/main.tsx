import './lib/zod-without-eval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { Providers } from './app/providers';
import { createQueryClient } from './app/query-client';
import { createAppRouter } from './app/router';
import { createHttpBackend } from './backend/http/http-backend';
import { env } from './lib/env';
import { tokenStorage } from './lib/token-storage';
import './index.css';

const backend = createHttpBackend({
  fetch: (input, init) => window.fetch(input, init),
  baseUrl: env.apiBaseUrl,
  getToken: tokenStorage.get,
});
const queryClient = createQueryClient();
const router = createAppRouter(backend);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Providers backend={backend} queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
