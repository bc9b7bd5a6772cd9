import { queryOptions } from '@tanstack/react-query';
import type { Backend } from '@/backend/backend';
import { webhookKeys } from '@/backend/query-keys';
import { capability } from '../backend-context';

/** Webhooks stay fresh through the stream (`resource: webhooks` invalidates the family). */
export const webhookListQuery = (backend: Backend) =>
  queryOptions({
    queryKey: webhookKeys.list,
    queryFn: ({ signal }) => capability(backend, 'notifications').listWebhooks({ signal }),
    staleTime: 30_000,
  });

/** A webhook's log; every attempt is announced on the stream, which refreshes it. */
export const webhookDeliveriesQuery = (backend: Backend, id: string) =>
  queryOptions({
    queryKey: webhookKeys.deliveries(id),
    queryFn: ({ signal }) => capability(backend, 'notifications').webhookDeliveries(id, { signal }),
    staleTime: 5_000,
  });
