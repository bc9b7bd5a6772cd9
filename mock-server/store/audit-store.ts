import { checkJson, JSON_DOCUMENT_LIMITS, type AuditEntry } from '../../src/domain';
import { z } from 'zod';
import type { Db } from './database';
import { rowReader } from './records';

type AuditRecord = Omit<AuditEntry, 'id'>;

/** An audit row as SQLite holds it, read into the entry the API answers. */
const auditRowSchema = z
  .object({
    id: z.number().int(),
    at: z.number(),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string(),
    before: z.string().nullable(),
    after: z.string().nullable(),
    comment: z.string().nullable(),
  })
  .transform((row): AuditEntry => ({
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
  }));

const countSchema = z.object({ n: z.number().int() });

/** Reads audit rows with the stores' one typed row reader; an unreadable row is skipped and reported. */
export const auditRows = (db: Db) => rowReader(db, 'audit', auditRowSchema);

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

/** The audit log: append-only. Nothing here edits or deletes a row. */
export function auditStore(db: Db) {
  const insert = db.prepare(
    `INSERT INTO audit (at, actor, role, action, target_type, target_id, before, after, comment)
     VALUES (@at, @actor, @role, @action, @targetType, @targetId, @before, @after, @comment)`,
  );
  const list = db.prepare('SELECT * FROM audit ORDER BY id DESC LIMIT ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM audit');
  const rows = auditRows(db);
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
      return rows.many(list.all(limit));
    },
    count(): number {
      return countSchema.parse(count.get()).n;
    },
  };
}
export type AuditStore = ReturnType<typeof auditStore>;
