import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend, capability } from '@/lib/backend-context';
import { ofrepKeysQuery } from '@/lib/queries/flags';
import { ErrorMessage } from '@/components/error-message';
import type { Environment } from '@/domain/environments';
import { flagKeys } from '@/backend/query-keys';

/** Admins only: the API key per environment that applications send to the OFREP endpoint. */
export function OfrepKeysPanel() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const keys = useQuery(ofrepKeysQuery(backend));
  const [shown, setShown] = useState<Environment | null>(null);
  const rotate = useMutation({
    mutationFn: (environment: Environment) =>
      capability(backend, 'flags').rotateOfrepKey(environment),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flagKeys.ofrepKeys }),
  });
  const origin = typeof window === 'undefined' ? '' : window.location.origin;
  return (
    <section
      aria-labelledby="ofrep-heading"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="ofrep-heading" className="text-xl font-bold">
        Connect applications (OFREP)
      </h2>
      <p className="text-sm text-muted">
        Any OpenFeature SDK with an OFREP provider reads these flags from{' '}
        <code className="font-mono">{origin}/ofrep/v1</code>. Send the environment&apos;s key in
        <code className="font-mono"> X-API-Key</code>: the key chooses the environment.
      </p>
      {keys.error && <ErrorMessage error={keys.error} />}
      <table className="text-sm">
        <caption className="sr-only">OFREP API keys per environment</caption>
        <tbody>
          {keys.data?.map(({ environment, key }) => (
            <tr key={environment} className="border-t border-line">
              <th scope="row" className="py-1 pr-3 text-left font-semibold">
                {environment}
              </th>
              <td className="py-1 pr-3 font-mono text-xs">
                {shown === environment ? key : `${key.slice(0, 8)}…`}
              </td>
              <td className="flex gap-2 py-1">
                <button
                  type="button"
                  className="text-xs text-accent hover:underline"
                  onClick={() => setShown(shown === environment ? null : environment)}
                >
                  {shown === environment ? `Hide ${environment} key` : `Show ${environment} key`}
                </button>
                <button
                  type="button"
                  className="text-xs text-danger hover:underline"
                  disabled={rotate.isPending}
                  onClick={() => rotate.mutate(environment)}
                >
                  Rotate {environment} key
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rotate.error && <ErrorMessage error={rotate.error} />}
    </section>
  );
}
