import { infiniteQueryOptions } from '@tanstack/react-query';
import type { AuditFilterInput } from '@/domain/audit-filter';
import type { Backend } from '@/backend/backend';
import { auditKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

const AUDIT_PAGE_SIZE = 100;

/** Pages of the audit log, newest first; the next page starts below the last id seen. */
export const auditLogQuery = (backend: Backend, filter: AuditFilterInput) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam, signal }) =>
      capability(backend, 'audit').auditLog(
        { ...filter, limit: AUDIT_PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: 0,
    getNextPageParam: (page) => (page.length < AUDIT_PAGE_SIZE ? undefined : page.at(-1)?.id),
    staleTime: 10_000,
  });
