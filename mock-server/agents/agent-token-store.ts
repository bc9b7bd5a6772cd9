import { randomUUID } from 'node:crypto';
import { agentTokenViewSchema, type AgentTokenView } from '../../src/domain/agents';
import { migrate, type Db } from '../store/database';
import { rowReader } from '../store/records';
import { hashSecret as hash, newSecret } from '../secrets';

/**
 * Agent tokens: role-less credentials an admin creates for one host's agent and can revoke.
 * Only a SHA-256 hash is stored; the token itself is shown once, when it is created.
 */
export function agentTokenStore(db: Db) {
  migrate(db, [
    {
      id: 'agents-001-tokens',
      sql: `
        CREATE TABLE agent_tokens (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          hash TEXT NOT NULL UNIQUE,
          created_at INTEGER NOT NULL,
          created_by TEXT NOT NULL,
          revoked_at INTEGER,
          last_used_at INTEGER
        );`,
    },
  ]);
  const columns =
    'id, name, created_at AS createdAt, created_by AS createdBy, revoked_at AS revokedAt, last_used_at AS lastUsedAt';
  const insert = db.prepare(
    'INSERT INTO agent_tokens (id, name, hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare(`SELECT ${columns} FROM agent_tokens WHERE hash = ?`);
  const byId = db.prepare(`SELECT ${columns} FROM agent_tokens WHERE id = ?`);
  const all = db.prepare(`SELECT ${columns} FROM agent_tokens ORDER BY created_at DESC, id`);
  const revoke = db.prepare(
    'UPDATE agent_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const used = db.prepare('UPDATE agent_tokens SET last_used_at = ? WHERE id = ?');

  const reader = rowReader(db, 'agent-token', agentTokenViewSchema, () => all.all());
  const read = reader.one;

  return {
    create(name: string, createdBy: string, now: number): { view: AgentTokenView; token: string } {
      const id = randomUUID();
      const token = `fla_${newSecret()}`;
      insert.run(id, name, hash(token), now, createdBy);
      return { view: read(byId.get(id))!, token };
    },
    list: (): AgentTokenView[] => reader.many(all.all()),
    get: (id: string): AgentTokenView | null => read(byId.get(id)),
    /** The token's record when it is known and not revoked; null otherwise. Changes nothing. */
    verify(token: string): AgentTokenView | null {
      const view = read(byHash.get(hash(token)));
      return view && view.revokedAt === null ? view : null;
    },
    /** Marks the token used: only for a request the server accepted, not one it refused. */
    markUsed(id: string, now: number): void {
      used.run(now, id);
    },
    revoke(id: string, now: number): boolean {
      return revoke.run(now, id).changes > 0;
    },
  };
}
