import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import type { User } from '@/domain/roles';
import { tokenStorage } from '@/lib/token-storage';

/** Who is signed in, with which role, and the way out. */
export function UserMenu({ user }: { user: User | null }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const backend = useBackend();
  function signOut() {
    // The server revokes the token; the browser forgets it whatever the answer (even offline).
    void backend.identity?.signOut().catch(() => undefined);
    tokenStorage.clear();
    queryClient.clear();
    void navigate('/sign-in');
  }
  return (
    <div className="flex items-center gap-3 text-sm">
      {user && (
        <span>
          <span className="hidden font-semibold sm:inline">{user.displayName}</span>{' '}
          <span className="rounded bg-raised px-1.5 py-0.5 text-xs uppercase tracking-wide text-muted">
            {user.role}
          </span>
        </span>
      )}
      <button
        type="button"
        onClick={signOut}
        className="rounded-md border border-line px-2 py-1 hover:border-muted"
      >
        Sign out
      </button>
    </div>
  );
}
