import { z } from 'zod';
import type { AuditEntry } from './audit';

const AUDIT_PAGE_MAX = 1000;
const AUDIT_EXPORT_MAX = 50_000;

const optionalText = (what: string) =>
  z
    .string()
    .trim()
    .max(200, `${what} is at most 200 characters`)
    .optional()
    .transform((v) => v || undefined);
const epochMs = (what: string) =>
  z.coerce
    .number({ error: `${what} must be a time in epoch ms` })
    .int(`${what} must be a whole number of ms`)
    .nonnegative(`${what} cannot be negative`)
    .optional();

const limit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit is at least 1')
    .max(max, `limit is at most ${max}`)
    .default(fallback);

const filterFields = z.object({
  actor: optionalText('person'),
  action: optionalText('action'),
  experimentId: optionalText('experiment'),
  flagKey: optionalText('flag'),
  /** epoch ms, inclusive */
  since: epochMs('from'),
  /** epoch ms, exclusive */
  until: epochMs('until'),
  /** Paging: only rows with an id below this one (the last id of the previous page). */
  before: z.coerce.number({ error: 'before must be a row id' }).int().positive().optional(),
  limit: limit(AUDIT_PAGE_MAX, 100),
});

function checkRange(
  filter: { since?: number | undefined; until?: number | undefined },
  ctx: z.RefinementCtx,
) {
  if (filter.since !== undefined && filter.until !== undefined && filter.until <= filter.since) {
    ctx.addIssue({
      code: 'custom',
      path: ['until'],
      message: 'the end of the time range must be after its start',
    });
  }
}

/**
 * The audit log's filters, as query parameters. `action` matches the action or a family:
 * "experiment" matches "experiment.start", "experiment.halt", …
 */
export const auditFilterSchema = filterFields.superRefine(checkRange);
/** The CSV export takes the same filters, and many more rows at once. */
export const auditExportFilterSchema = filterFields
  .extend({ limit: limit(AUDIT_EXPORT_MAX, AUDIT_EXPORT_MAX) })
  .superRefine(checkRange);
export type AuditFilter = z.infer<typeof auditFilterSchema>;
export type AuditFilterInput = z.input<typeof auditFilterSchema>;

const AUDIT_CSV_COLUMNS = [
  'id',
  'time (UTC)',
  'person',
  'role',
  'action',
  'target type',
  'target',
  'before',
  'after',
] as const;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell that a
 * spreadsheet would run as a formula (= + - @ at the start) is prefixed with a quote.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const json = (value: unknown) =>
  value === null || value === undefined ? '' : JSON.stringify(value);

/** The CSV header line, with its CRLF. */
export function auditCsvHeader(): string {
  return `${AUDIT_CSV_COLUMNS.join(',')}\r\n`;
}

/** One audit row as a CSV line, with its CRLF. */
export function auditCsvLine(e: AuditEntry): string {
  const cells = [
    String(e.id),
    new Date(e.at).toISOString(),
    e.actor,
    e.role,
    e.action,
    e.targetType,
    e.targetId,
    json(e.before),
    json(e.after),
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The audit rows as CSV with a header line, CRLF line ends. */
export function auditCsv(entries: readonly AuditEntry[]): string {
  return auditCsvHeader() + entries.map(auditCsvLine).join('');
}
