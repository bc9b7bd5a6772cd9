import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useBackend, capability } from '@/lib/backend-context';
import { ofrepKeysQuery } from '@/lib/queries/flags';
import { ErrorMessage } from '@/components/error-message';
import { ENVIRONMENTS, type Environment } from '@/domain/environments';
import { flagKeys } from '@/backend/query-keys';
import { formatDateTime } from '@/lib/format';

/**
 * Admins only: the API key per environment that applications send to the OFREP endpoint. The
 * server keeps a hash of each key, so a key is shown once, right after it is made.
 */
export function OfrepKeysPanel() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const keys = useQuery(ofrepKeysQuery(backend));
  const rotate = useMutation({
    mutationFn: (environment: Environment) =>
      capability(backend, 'flags').rotateOfrepKey(environment),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: flagKeys.ofrepKeys }),
  });
  const made = rotate.data;
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
        <code className="font-mono"> X-API-Key</code>: the key chooses the environment. Faultline
        keeps only a fingerprint of each key: a key is shown once, when it is made.
      </p>
      {keys.error && <ErrorMessage error={keys.error} />}
      <table className="text-sm">
        <caption className="sr-only">OFREP API keys per environment</caption>
        <tbody>
          {ENVIRONMENTS.map((environment) => {
            const key = keys.data?.find((k) => k.environment === environment);
            return (
              <tr key={environment} className="border-t border-line">
                <th scope="row" className="py-1 pr-3 text-left font-semibold">
                  {environment}
                </th>
                <td className="py-1 pr-3 font-mono text-xs">
                  {key ? `${key.hint}…` : <span className="font-sans text-muted">no key yet</span>}
                </td>
                <td className="py-1 pr-3 text-xs text-muted">
                  {key && `made ${formatDateTime(key.createdAt)}`}
                </td>
                <td className="py-1">
                  <button
                    type="button"
                    className="text-xs text-danger hover:underline"
                    disabled={rotate.isPending || keys.isPending}
                    onClick={() => rotate.mutate(environment)}
                  >
                    {key ? `Replace ${environment} key` : `Make ${environment} key`}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {made && (
        <div role="status" className="flex flex-col gap-1 rounded border border-line p-3 text-sm">
          <p className="font-semibold">
            New {made.environment} key. Copy it now: it will not be shown again. Any key{' '}
            {made.environment} had before no longer works.
          </p>
          <code className="break-all font-mono text-xs" aria-label={`${made.environment} key`}>
            {made.key}
          </code>
          <button
            type="button"
            className="self-start text-xs text-accent hover:underline"
            onClick={() => rotate.reset()}
          >
            I have copied it
          </button>
        </div>
      )}
      {rotate.error && <ErrorMessage error={rotate.error} />}
    </section>
  );
}
