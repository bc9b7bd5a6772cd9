import { checkJson, JSON_DOCUMENT_LIMITS, type AuditEntry } from '../../src/domain';
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

/** Longest target id kept in a row, in characters: ids the API accepts are far shorter. */
const MAX_TARGET_ID = 200;

/**
 * A record's before or after as stored: every record the API accepts fits the document limits;
 * anything past them (a bug, not a user) is stored as a marker, so a row stays bounded.
 */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const issue = checkJson(value, JSON_DOCUMENT_LIMITS);
  return JSON.stringify(issue ? { unreadable: `not stored: ${issue.message}` } : value);
}

/** A stored before or after, or a marker when it cannot be read (a row written by an older version). */
function fromJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    const issue = checkJson(value, JSON_DOCUMENT_LIMITS);
    return issue ? { unreadable: issue.message } : value;
  } catch (error) {
    return { unreadable: (error as Error).message };
  }
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
    before: fromJson(row.before),
    after: fromJson(row.after),
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
        targetId:
          record.targetId.length > MAX_TARGET_ID
            ? `${record.targetId.slice(0, MAX_TARGET_ID)}…`
            : record.targetId,
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
