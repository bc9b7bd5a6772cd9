import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';

/** Without demo users: paste the token your administrator configured for you. */
export function TokenForm({
  pending,
  onSubmit,
}: {
  pending: boolean;
  onSubmit: (token: string) => void;
}) {
  const id = useId();
  const [token, setToken] = useState('');
  const [missing, setMissing] = useState(false);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (token.trim() === '') return setMissing(true);
    onSubmit(token);
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-2" noValidate>
      <label htmlFor={id} className="font-semibold">
        Access token
      </label>
      <input
        id={id}
        type="password"
        value={token}
        onChange={(e) => {
          setToken(e.target.value);
          setMissing(false);
        }}
        aria-invalid={missing}
        aria-describedby={missing ? `${id}-error` : undefined}
        autoComplete="off"
        className="rounded-md border border-line bg-raised px-3 py-2 font-mono"
      />
      {missing && (
        <p id={`${id}-error`} className="text-sm text-danger">
          Paste your access token.
        </p>
      )}
      <Button type="submit" tone="primary" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
