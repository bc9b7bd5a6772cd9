import { z } from 'zod';
import { agentTokenViewSchema, agentViewSchema } from '@/domain/agents';
import type { AgentsCapability } from '../capabilities/agents';
import type { HttpClient } from './client';

const agentListSchema = z.object({ agents: z.array(agentViewSchema) });
const tokenListSchema = z.object({ tokens: z.array(agentTokenViewSchema) });
const createdTokenSchema = agentTokenViewSchema.extend({ token: z.string() });

export function agentsHttp(client: HttpClient): AgentsCapability {
  return {
    listAgents: async (options = {}) =>
      (await client.json('GET', '/api/v1/agents', agentListSchema, options)).agents,
    listAgentTokens: async (options = {}) =>
      (await client.json('GET', '/api/v1/agent-tokens', tokenListSchema, options)).tokens,
    createAgentToken: (name) =>
      client.json('POST', '/api/v1/agent-tokens', createdTokenSchema, { body: { name } }),
    revokeAgentToken: (id) =>
      client.json('DELETE', `/api/v1/agent-tokens/${encodeURIComponent(id)}`, agentTokenViewSchema),
  };
}
