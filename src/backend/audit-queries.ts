import { infiniteQueryOptions } from '@tanstack/react-query';
import type { AuditFilterInput } from '@/domain/audit-filter';
import type { Backend } from './backend';

export const AUDIT_PAGE_SIZE = 100;

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilterInput) => ['audit', filter] as const,
};

/** Pages of the audit log, newest first; the next page starts below the last id seen. */
export const auditLogQuery = (backend: Backend, filter: AuditFilterInput) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(filter),
    queryFn: ({ pageParam, signal }) =>
      backend.auditLog(
        { ...filter, limit: AUDIT_PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) },
        { signal },
      ),
    initialPageParam: 0,
    getNextPageParam: (page) => (page.length < AUDIT_PAGE_SIZE ? undefined : page.at(-1)?.id),
    staleTime: 10_000,
  });
