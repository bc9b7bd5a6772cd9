import type { User } from '@/domain/roles';

interface DemoUserPickerProps {
  users: User[];
  pending: string | null;
  onPick: (user: string) => void;
}

/** Demo mode: one button per local user, labelled with the role it signs in as. */
export function DemoUserPicker({ users, pending, onPick }: DemoUserPickerProps) {
  return (
    <ul aria-label="Demo users" className="flex flex-col gap-2">
      {users.map((user) => (
        <li key={user.name}>
          <button
            type="button"
            onClick={() => onPick(user.name)}
            disabled={pending !== null}
            className={
              'flex w-full items-center justify-between rounded-md border border-line bg-raised ' +
              'px-4 py-3 text-left hover:border-accent disabled:opacity-60'
            }
          >
            <span className="font-semibold">Sign in as {user.displayName}</span>
            <span className="text-sm text-muted">
              {pending === user.name ? 'signing in…' : user.role}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
