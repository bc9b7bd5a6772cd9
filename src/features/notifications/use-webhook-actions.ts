import { useMutation, useQueryClient } from '@tanstack/react-query';
import { webhookKeys } from '@/backend/query-keys';
import type { UpdateWebhookInput, WebhookSpecInput } from '@/domain/webhooks';
import { capability, useBackend } from '@/lib/backend-context';

/** Every write of the notifications page: one mutation each, the family invalidated after. */
export function useWebhookActions() {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const notifications = () => capability(backend, 'notifications');
  const invalidate = () => queryClient.invalidateQueries({ queryKey: webhookKeys.all });
  return {
    create: useMutation({
      mutationFn: (spec: WebhookSpecInput) => notifications().createWebhook(spec),
      onSuccess: invalidate,
    }),
    update: useMutation({
      mutationFn: (input: { id: string; update: UpdateWebhookInput }) =>
        notifications().updateWebhook(input.id, input.update),
      onSuccess: invalidate,
    }),
    remove: useMutation({
      mutationFn: (input: { id: string; version: number }) =>
        notifications().deleteWebhook(input.id, input.version),
      onSuccess: invalidate,
    }),
    sendTest: useMutation({
      mutationFn: (id: string) => notifications().sendTestWebhook(id),
      onSuccess: invalidate,
    }),
  };
}
