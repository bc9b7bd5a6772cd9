import type { AuditEntry } from '@/domain/audit';
import type { AuditFilterInput } from '@/domain/audit-filter';
import type { DownloadedFile, RequestOptions } from './request';

export interface AuditCapability {
  /** Newest first, filtered (person, action, experiment, flag, time range). */
  auditLog(filter: AuditFilterInput, options?: RequestOptions): Promise<AuditEntry[]>;
  /** The same rows as CSV, for a spreadsheet. */
  exportAuditCsv(filter: AuditFilterInput): Promise<DownloadedFile>;
}
