import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { flagQuery } from '@/lib/queries/flags';
import { ErrorMessage } from '@/components/error-message';
import { FlagEditor } from './flag-editor';

/** /flags/new creates a flag; /flags/:key edits one. */
export function FlagPage() {
  const key = useParams().key ?? 'new';
  const backend = useBackend();
  const flag = useQuery({ ...flagQuery(backend, key), enabled: key !== 'new' });
  return (
    <div className="flex flex-col gap-3">
      <Link to="/flags" className="text-sm text-accent hover:underline">
        ← All flags
      </Link>
      {key === 'new' ? (
        <FlagEditor latest={null} />
      ) : flag.error ? (
        <ErrorMessage error={flag.error} retry={() => void flag.refetch()} />
      ) : flag.data ? (
        <FlagEditor key={flag.data.key} latest={flag.data} />
      ) : (
        <p className="text-muted">Loading {key}…</p>
      )}
    </div>
  );
}
