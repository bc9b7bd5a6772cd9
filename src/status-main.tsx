import './lib/zod-without-eval';
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHttpStatusSource, statusFeedUrl } from './backend/http/status';
import { StatusPage } from './features/status/status-page';
import { createStatusQueryClient } from './features/status/status-query-client';
import { env } from './lib/env';
import './index.css';

/**
 * The public status page on its own: no router, no sign-in, no dashboard code, so a phone
 * or a wall screen loads only what this page draws.
 */
const source = createHttpStatusSource({
  fetch: (input, init) => window.fetch(input, init),
  baseUrl: env.apiBaseUrl,
});
const queryClient = createStatusQueryClient();
const shareToken = new URLSearchParams(window.location.search).get('token');

const root = document.getElementById('root');
if (!root) throw new Error('status.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <StatusPage
        source={source}
        shareToken={shareToken}
        feedUrl={statusFeedUrl(env.apiBaseUrl, shareToken)}
      />
    </QueryClientProvider>
  </StrictMode>,
);
