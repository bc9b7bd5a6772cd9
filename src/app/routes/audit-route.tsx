import { AuditPage } from '@/features/audit/audit-page';

export { AuditPage as Component };
