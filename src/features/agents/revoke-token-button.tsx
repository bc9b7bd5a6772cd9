import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { agentKeys } from '@/backend/query-keys';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { AgentTokenView } from '@/domain/agents';
import { capability, useBackend } from '@/lib/backend-context';

/** Revoke, after one confirmation: the token's agents disconnect and drop their faults. */
export function RevokeTokenButton({ token }: { token: AgentTokenView }) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const revoke = useMutation({
    mutationFn: () => capability(backend, 'agents').revokeAgentToken(token.id),
    onSettled: () => {
      setConfirming(false);
      // The token's agents are disconnected too.
      void queryClient.invalidateQueries({ queryKey: agentKeys.all });
    },
  });
  if (!confirming)
    return (
      <span className="flex flex-wrap items-center gap-2">
        active
        <Button tone="danger" onClick={() => setConfirming(true)}>
          Revoke {token.name}
        </Button>
        {revoke.error && <ErrorMessage error={revoke.error} />}
      </span>
    );
  return (
    <span role="group" aria-label={`Revoke ${token.name}?`} className="flex items-center gap-2">
      <span>Its agents disconnect and remove their faults.</span>
      <Button tone="danger" disabled={revoke.isPending} onClick={() => revoke.mutate()}>
        Yes, revoke {token.name}
      </Button>
      <Button onClick={() => setConfirming(false)}>Cancel</Button>
    </span>
  );
}
