/**
 * A browser application that reads Faultline's flags the way a team's own app would: the
 * OpenFeature web SDK with the OFREP web provider, from another origin. The query string says
 * where the server is, with which environment key, who the user is, and how often to poll.
 */
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';

const params = new URLSearchParams(location.search);
const output = document.getElementById('new-checkout');

function show(): void {
  const details = OpenFeature.getClient().getBooleanDetails('new-checkout', false);
  if (!output) return;
  output.textContent = String(details.value);
  output.dataset.reason = details.reason ?? '';
  output.dataset.variant = details.variant ?? '';
  output.dataset.error = details.errorCode ?? '';
}

OpenFeature.addHandler(ProviderEvents.Ready, show);
OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, show);
OpenFeature.addHandler(ProviderEvents.Error, show);

await OpenFeature.setContext({
  targetingKey: params.get('user') ?? 'anonymous',
  email: params.get('email') ?? '',
  country: params.get('country') ?? '',
});
await OpenFeature.setProviderAndWait(
  new OFREPWebProvider({
    baseUrl: params.get('ofrep') ?? '',
    headers: [['X-API-Key', params.get('key') ?? '']],
    // poll=0: no polling at all, so only the server's change events can bring a change.
    pollInterval: Number(params.get('poll') ?? 300),
    // detect=polling: ignore the server's event stream (ADR-0008) and poll.
    changeDetection: params.get('detect') === 'polling' ? 'polling' : 'sse',
    cacheMode: 'disabled',
    disableVisibilityRefresh: true,
  }),
);
show();
