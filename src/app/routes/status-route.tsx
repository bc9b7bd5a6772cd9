import { useSearchParams } from 'react-router';
import { useBackend } from '@/backend/backend-context';
import { StatusPage } from '@/features/status/status-page';

/** /status inside the app (reached by a link); a fresh load gets the standalone status.html. */
function StatusRoute() {
  const backend = useBackend();
  const [params] = useSearchParams();
  return <StatusPage source={backend} shareToken={params.get('token')} />;
}

export { StatusRoute as Component };
