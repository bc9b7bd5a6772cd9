import { useQuery } from '@tanstack/react-query';
import { ErrorMessage } from '@/components/error-message';
import type { Webhook, WebhookDelivery } from '@/domain/webhooks';
import { useBackend } from '@/lib/backend-context';
import { formatDateTimeSeconds } from '@/lib/format';
import { webhookDeliveriesQuery } from '@/lib/queries/notifications';

const STATE_TEXT: Record<WebhookDelivery['state'], string> = {
  pending: 'pending',
  delivered: 'delivered',
  failed: 'failed',
};

function lastAnswer(delivery: WebhookDelivery): string {
  if (delivery.attempts === 0) return 'not sent yet';
  if (delivery.lastError) return delivery.lastError;
  return delivery.lastStatus === null ? '—' : `HTTP ${delivery.lastStatus}`;
}

/** What was sent to one webhook and how it went, newest first. */
export function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const backend = useBackend();
  const log = useQuery(webhookDeliveriesQuery(backend, webhook.id));
  return (
    <section aria-label={`Delivery log of ${webhook.name}`} className="flex flex-col gap-2">
      {log.error && <ErrorMessage error={log.error} retry={() => void log.refetch()} />}
      {log.isPending && <p className="text-muted">Loading the log…</p>}
      {log.data && log.data.length === 0 && (
        <p className="text-muted">Nothing sent yet. Send a test to try it.</p>
      )}
      {log.data && log.data.length > 0 && (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Deliveries to {webhook.name}</caption>
          <thead className="text-muted">
            <tr>
              <th scope="col" className="py-1 pr-3">
                Queued
              </th>
              <th scope="col" className="py-1 pr-3">
                Message
              </th>
              <th scope="col" className="py-1 pr-3">
                State
              </th>
              <th scope="col" className="py-1 pr-3">
                Attempts
              </th>
              <th scope="col" className="py-1 pr-3">
                Last answer
              </th>
              <th scope="col" className="py-1">
                Last attempt
              </th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((delivery) => (
              <tr key={delivery.id} className="border-t border-line align-top">
                <td className="py-1 pr-3 whitespace-nowrap">
                  {formatDateTimeSeconds(delivery.createdAt)}
                </td>
                <th scope="row" className="py-1 pr-3 font-normal">
                  <span className="font-mono text-xs text-muted">{delivery.event}</span>{' '}
                  {delivery.summary}
                </th>
                <td
                  className={`py-1 pr-3 font-semibold ${delivery.state === 'failed' ? 'text-danger' : ''}`}
                >
                  {STATE_TEXT[delivery.state]}
                </td>
                <td className="py-1 pr-3">{delivery.attempts}</td>
                <td className="py-1 pr-3">{lastAnswer(delivery)}</td>
                <td className="py-1 whitespace-nowrap">
                  {delivery.lastAttemptAt === null
                    ? '—'
                    : formatDateTimeSeconds(delivery.lastAttemptAt)}
                  {delivery.state === 'pending' &&
                  delivery.nextAttemptAt !== null &&
                  delivery.attempts > 0
                    ? ` (next ${formatDateTimeSeconds(delivery.nextAttemptAt)})`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
