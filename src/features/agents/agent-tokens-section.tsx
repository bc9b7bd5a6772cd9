import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { CreatedAgentToken } from '@/backend/backend';
import { BackendError } from '@/backend/errors';
import { agentKeys } from '@/backend/query-keys';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { Field, inputClass } from '@/components/field';
import { newAgentTokenSchema } from '@/domain/agents';
import { fieldIssues, issuesByPath } from '@/domain/validation';
import { capability, useBackend } from '@/lib/backend-context';
import { formatDateTimeSeconds } from '@/lib/format';
import { agentTokenListQuery } from '@/lib/queries/agents';
import { RevokeTokenButton } from './revoke-token-button';

/** Admins only: create an agent token (shown once), list the tokens, revoke one. */
export function AgentTokensSection() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const tokens = useQuery(agentTokenListQuery(backend));
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | undefined>();
  const [created, setCreated] = useState<CreatedAgentToken | null>(null);
  const create = useMutation({
    mutationFn: (tokenName: string) => capability(backend, 'agents').createAgentToken(tokenName),
    onSuccess: (token) => {
      setCreated(token);
      setName('');
      void queryClient.invalidateQueries({ queryKey: agentKeys.tokens });
    },
    onError: (error) => {
      if (error instanceof BackendError && error.kind === 'invalid')
        setNameError(issuesByPath(error.issues).name ?? error.message);
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = newAgentTokenSchema.safeParse({ name });
    if (!parsed.success) return setNameError(issuesByPath(fieldIssues(parsed.error)).name);
    setNameError(undefined);
    setCreated(null);
    create.mutate(parsed.data.name);
  };

  return (
    <section aria-labelledby="agent-tokens-heading" className="flex flex-col gap-3">
      <h2 id="agent-tokens-heading" className="text-xl font-bold">
        Agent tokens
      </h2>
      <p className="text-sm text-muted">
        An agent connects with a token of its own, named after its host. The token is shown once,
        when it is created; the server keeps only its hash. Revoking it disconnects its agents at
        once, and they remove every fault they hold.
      </p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2" noValidate>
        <Field label="Token name" error={nameError} hint="The host the agent runs on">
          {(control) => (
            <input
              {...control}
              className={inputClass}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </Field>
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create token'}
        </Button>
      </form>
      {create.error &&
        !(create.error instanceof BackendError && create.error.kind === 'invalid') && (
          <ErrorMessage error={create.error} />
        )}
      {created && <CreatedToken token={created} onDone={() => setCreated(null)} />}
      {tokens.error && <ErrorMessage error={tokens.error} retry={() => void tokens.refetch()} />}
      {tokens.data && tokens.data.length === 0 && <p className="text-muted">No agent token yet.</p>}
      {tokens.data && tokens.data.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Agent tokens</caption>
          <thead className="text-muted">
            <tr>
              <th scope="col" className="py-1 pr-3">
                Name
              </th>
              <th scope="col" className="py-1 pr-3">
                Created
              </th>
              <th scope="col" className="py-1 pr-3">
                Last used
              </th>
              <th scope="col" className="py-1">
                State
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((token) => (
              <tr key={token.id} className="border-t border-line">
                <th scope="row" className="py-1 pr-3 font-semibold">
                  {token.name}
                </th>
                <td className="py-1 pr-3">
                  {formatDateTimeSeconds(token.createdAt)} by {token.createdBy}
                </td>
                <td className="py-1 pr-3">
                  {token.lastUsedAt === null ? 'never' : formatDateTimeSeconds(token.lastUsedAt)}
                </td>
                <td className="py-1">
                  {token.revokedAt === null ? (
                    <RevokeTokenButton token={token} />
                  ) : (
                    <span className="text-muted">
                      revoked {formatDateTimeSeconds(token.revokedAt)}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The new token, this once: it cannot be read again. */
function CreatedToken({ token, onDone }: { token: CreatedAgentToken; onDone: () => void }) {
  return (
    <div
      role="status"
      aria-label={`New agent token ${token.name}`}
      className="flex flex-col gap-2 rounded-md border border-accent bg-accent/10 p-3 text-sm"
    >
      <p className="font-semibold">Copy the token for {token.name} now: it is not shown again.</p>
      <code className="font-mono break-all select-all">{token.token}</code>
      <p className="text-muted">
        Start the agent with it in <code className="font-mono">FAULTLINE_AGENT_TOKEN</code> (see
        docs/agent.md).
      </p>
      <Button className="self-start" onClick={onDone}>
        Done, I have copied it
      </Button>
    </div>
  );
}
