import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '@/components/error-message';
import { useBackend } from '@/lib/backend-context';
import { agentListQuery } from '@/lib/queries/agents';
import { useCan } from '@/lib/use-current-user';
import { AgentTokensSection } from './agent-tokens-section';
import { AgentsTable } from './agents-table';

/** The agents that put real faults on hosts, and (for admins) the tokens they connect with. */
export function AgentsPage() {
  const backend = useBackend();
  const isAdmin = useCan('admin.settings');
  const agents = useQuery(agentListQuery(backend));
  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="agents-heading" className="flex flex-col gap-3">
        <h1 id="agents-heading" className="text-2xl font-bold">
          Agents
        </h1>
        <p className="text-sm text-muted">
          An agent runs on a host and puts real faults on the processes it names (its targets),
          which appear in the fleet and the designer like any other instance. Every fault it holds
          is a lease: when it stops hearing from this server, it removes them by itself.
        </p>
        {agents.error && <ErrorMessage error={agents.error} retry={() => void agents.refetch()} />}
        {agents.isPending && <p className="text-muted">Loading agents…</p>}
        {agents.data && agents.data.length === 0 && (
          <p className="text-muted">
            No agent has connected since the server started.
            {isAdmin
              ? ' Create a token below and start one with it.'
              : ' An admin creates the token an agent connects with.'}{' '}
            <code className="font-mono">npm run start:real</code> starts one for the sample shop.
          </p>
        )}
        {agents.data && agents.data.length > 0 && <AgentsTable agents={agents.data} />}
      </section>
      {isAdmin && <AgentTokensSection />}
    </div>
  );
}
