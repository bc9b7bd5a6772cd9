import type { AuditEntry } from '../../src/domain';
import type { Db } from './database';

export type AuditRecord = Omit<AuditEntry, 'id'>;

/** An audit row as SQLite holds it. */
export interface AuditRow {
  id: number;
  at: number;
  actor: string;
  role: string;
  action: string;
  target_type: string;
  target_id: string;
  before: string | null;
  after: string | null;
  comment: string | null;
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** An audit row as the API answers it. */
export function auditEntryFromRow(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    role: row.role,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
    ...(row.comment ? { comment: row.comment } : {}),
  };
}

/** The audit log: append-only. Nothing here edits or deletes a row. */
export function auditStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit (at, actor, role, action, target_type, target_id, before, after, comment)
     VALUES (@at, @actor, @role, @action, @targetType, @targetId, @before, @after, @comment)`,
  );
  const list = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM audit');
  return {
    append(record: AuditRecord): number {
      const result = insert.run({
        ...record,
        before: toJson(record.before),
        after: toJson(record.after),
        comment: record.comment ?? null,
      });
      return Number(result.lastInsertRowid);
    },
    /** Newest first. */
    list(limit: number): AuditEntry[] {
      return (list.all(limit) as AuditRow[]).map(auditEntryFromRow);
    },
    count(): number {
      return (count.get() as { n: number }).n;
    },
  };
}
export type AuditStore = ReturnType<typeof auditStore>;
