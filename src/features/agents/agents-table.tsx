import type { AgentView } from '@/domain/agents';
import { formatAge } from '@/lib/format';
import { useNow } from '@/lib/use-now';

/** Each agent: its host, the targets it serves, the faults it holds, when it was last heard. */
export function AgentsTable({ agents }: { agents: AgentView[] }) {
  const now = useNow(1000);
  return (
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Agents</caption>
      <thead className="text-muted">
        <tr>
          <th scope="col" className="py-1 pr-3">
            Host
          </th>
          <th scope="col" className="py-1 pr-3">
            Targets
          </th>
          <th scope="col" className="py-1 pr-3">
            Faults held
          </th>
          <th scope="col" className="py-1 pr-3">
            Last heard
          </th>
          <th scope="col" className="py-1">
            Connection
          </th>
        </tr>
      </thead>
      <tbody>
        {agents.map((agent) => (
          <tr key={agent.id} className="border-t border-line align-top">
            <th scope="row" className="py-2 pr-3 font-semibold">
              {agent.host}
              <span className="block text-xs font-normal text-muted">token {agent.tokenName}</span>
            </th>
            <td className="py-2 pr-3">
              <ul aria-label={`Targets of ${agent.host}`}>
                {agent.targets.map((target) => (
                  <li key={target.name}>
                    <span className="font-mono">{target.name}</span>{' '}
                    <span className="text-muted">
                      {target.service} · {target.environment} · pid {target.pid}
                      {target.http ? ' · HTTP' : ''}
                    </span>
                  </li>
                ))}
              </ul>
            </td>
            <td className="py-2 pr-3">
              {agent.faults.length === 0 ? (
                <span className="text-muted">none</span>
              ) : (
                <ul aria-label={`Faults held by ${agent.host}`}>
                  {agent.faults.map((fault) => (
                    <li key={fault.faultId}>
                      <span className="font-mono">{fault.target}</span>: {fault.detail}
                    </li>
                  ))}
                </ul>
              )}
            </td>
            <td className="py-2 pr-3">{formatAge(now - agent.lastSeenAt)} ago</td>
            <td className="py-2">
              {agent.online ? (
                <span className="font-semibold text-ok">connected</span>
              ) : (
                <span className="font-semibold text-danger">disconnected</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
