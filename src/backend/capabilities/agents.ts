import type { AgentTokenView, AgentView } from '@/domain/agents';
import type { RequestOptions } from './request';

/** A token as it is created: the token itself is in this answer only. */
export interface CreatedAgentToken extends AgentTokenView {
  token: string;
}

/** Faultline agents on hosts (docs/agent.md) and the tokens they connect with. */
export interface AgentsCapability {
  /** Every agent that has connected since the server started, with its targets and faults. */
  listAgents(options?: RequestOptions): Promise<AgentView[]>;
  /** Admins only. Never carries a token itself. */
  listAgentTokens(options?: RequestOptions): Promise<AgentTokenView[]>;
  createAgentToken(name: string): Promise<CreatedAgentToken>;
  /** Its agents are disconnected at once; their leases then remove their faults. */
  revokeAgentToken(id: string): Promise<AgentTokenView>;
}
