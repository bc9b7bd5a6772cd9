import { z } from 'zod';

/** One row of the audit log: who did what to which record, and the record before and after. */
const auditEntrySchema = z.object({
  id: z.number().int(),
  /** epoch ms */
  at: z.number(),
  actor: z.string(),
  /** The actor's role, or "system" for the engine acting on its own (an abort, a completion). */
  role: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  /** Why, when the person gave a reason (turning a flag off or on). */
  comment: z.string().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });
