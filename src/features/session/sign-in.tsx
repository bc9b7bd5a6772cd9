import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import type { User } from '@/domain/roles';
import { DemoUserPicker } from './demo-user-picker';
import { TokenForm } from './token-form';
import { useSignIn } from './use-sign-in';
import { authInfoQuery } from '@/lib/queries/identity';

/** Sign-in: pick a demo user when the server runs with them, otherwise paste a token. */
export function SignIn({ onSignedIn }: { onSignedIn: (user: User) => void }) {
  const backend = useBackend();
  const rememberId = useId();
  const [remember, setRemember] = useState(false);
  const auth = useQuery(authInfoQuery(backend));
  const signIn = useSignIn(onSignedIn);
  const pendingUser =
    signIn.isPending && signIn.variables?.kind === 'demo' ? signIn.variables.user : null;

  return (
    <main
      id="main"
      className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 px-4"
    >
      <div>
        <h1 className="text-3xl font-black tracking-tight">Faultline</h1>
        <p className="text-muted">
          Break things on purpose, in small doses, and stop everything in one press.
        </p>
      </div>
      <section
        aria-labelledby="sign-in-heading"
        className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-6"
      >
        <h2 id="sign-in-heading" className="text-xl font-bold">
          Sign in
        </h2>
        {auth.isPending && <p className="text-muted">Asking the server how to sign in…</p>}
        {auth.error && <ErrorMessage error={auth.error} retry={() => void auth.refetch()} />}
        {auth.data?.demo && (
          <>
            <p className="text-sm text-muted">This server runs with local demo users. Pick one:</p>
            <DemoUserPicker
              users={auth.data.users}
              pending={pendingUser}
              onPick={(user) => signIn.mutate({ kind: 'demo', user, remember })}
            />
          </>
        )}
        {auth.data && !auth.data.demo && (
          <TokenForm
            pending={signIn.isPending}
            onSubmit={(token) => signIn.mutate({ kind: 'token', token, remember })}
          />
        )}
        {auth.data && (
          <label htmlFor={rememberId} className="flex items-center gap-2 text-sm">
            <input
              id={rememberId}
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
            />
            Stay signed in on this device
          </label>
        )}
        {signIn.error && <ErrorMessage error={signIn.error} />}
      </section>
    </main>
  );
}
