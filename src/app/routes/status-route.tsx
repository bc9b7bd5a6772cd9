import { useSearchParams } from 'react-router';
import { capability, useBackend } from '@/lib/backend-context';
import { StatusPage } from '@/features/status/status-page';

/** /status inside the app (reached by a link); a fresh load gets the standalone status.html. */
function StatusRoute() {
  const backend = useBackend();
  const [params] = useSearchParams();
  return <StatusPage source={capability(backend, 'status')} shareToken={params.get('token')} />;
}

export { StatusRoute as Component };
