import { z } from 'zod';
import type { AuditEntry, AuditFilter } from '../../src/domain';
import { auditRows } from '../store/audit-store';
import type { Db } from '../store/database';
import { storedValue } from '../store/records';

/**
 * The audit rows matching a filter, newest first. Reads only: nothing here changes a row.
 * The person filter matches part of a user name in any case ("sam" finds sam-sre), and the
 * names `people` gives for it (those whose display name matches).
 */
export function queryAudit(
  db: Db,
  filter: AuditFilter,
  people: (text: string) => readonly string[] = () => [],
): AuditEntry[] {
  return queryAuditPage(db, filter, people).entries;
}

/**
 * The same, with how many rows were read and the id of the oldest, readable or not (null when
 * none matched): the next page starts before it, so a page of unreadable rows (skipped and
 * reported) neither ends the reading nor is read again.
 */
export function queryAuditPage(
  db: Db,
  filter: AuditFilter,
  people: (text: string) => readonly string[] = () => [],
): { entries: AuditEntry[]; read: number; oldestId: number | null } {
  const where: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  if (filter.actor) {
    const names = people(filter.actor).slice(0, 50);
    const named = names.map((_, i) => `@person${i}`);
    where.push(
      `(actor LIKE @actorLike ESCAPE '\\'${named.length ? ` OR actor IN (${named.join(', ')})` : ''})`,
    );
    params.actorLike = `%${filter.actor.replace(/[\\%_]/g, '\\$&')}%`;
    names.forEach((name, i) => (params[`person${i}`] = name));
  }
  if (filter.action) {
    where.push("(action = @action OR action LIKE @actionFamily ESCAPE '\\')");
    params.action = filter.action;
    params.actionFamily = `${filter.action.replace(/[\\%_]/g, '\\$&')}.%`;
  }
  if (filter.experimentId) {
    where.push("(target_type = 'experiment' AND target_id = @experimentId)");
    params.experimentId = filter.experimentId;
  }
  if (filter.flagKey) {
    where.push("(target_type = 'flag' AND target_id = @flagKey)");
    params.flagKey = filter.flagKey;
  }
  if (filter.since !== undefined) {
    where.push('at >= @since');
    params.since = filter.since;
  }
  if (filter.until !== undefined) {
    where.push('at < @until');
    params.until = filter.until;
  }
  if (filter.before !== undefined) {
    where.push('id < @before');
    params.before = filter.before;
  }
  const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
  const rows = db.prepare(sql).all(params);
  // An unreadable row still has its id (the INTEGER PRIMARY KEY): paging goes on past it.
  const oldest = storedValue(z.object({ id: z.number() }).nullable(), rows.at(-1) ?? null, null);
  return {
    entries: auditRows(db).many(rows),
    read: rows.length,
    oldestId: oldest?.id ?? null,
  };
}
