import { useState } from 'react';
import { Button } from '@/components/button';
import { WEBHOOK_EVENT_LABELS, type Webhook } from '@/domain/webhooks';
import { DeliveryLog } from './delivery-log';

interface WebhookRowProps {
  webhook: Webhook;
  busy: boolean;
  onEdit(): void;
  onSendTest(): void;
  onDelete(): void;
}

/** One webhook: what it sends where, its actions, and (opened) its delivery log. */
export function WebhookRow({ webhook, busy, onEdit, onSendTest, onDelete }: WebhookRowProps) {
  const [logOpen, setLogOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { name } = webhook;
  return (
    <li
      className="flex flex-col gap-2 rounded-lg border border-line bg-surface p-3"
      aria-label={name}
    >
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h3 className="font-bold">{name}</h3>
        <span className="font-mono text-xs break-all text-muted">{webhook.url}</span>
        <span className="text-xs text-muted">
          {webhook.format === 'slack' ? 'Slack-compatible' : 'Faultline JSON'} · secret{' '}
          <span className="font-mono">{webhook.secretHint}</span>
        </span>
        {!webhook.enabled && <span className="text-xs font-semibold text-danger">disabled</span>}
      </div>
      <p className="text-sm">
        {webhook.events.map((event) => WEBHOOK_EVENT_LABELS[event]).join(', ')}
      </p>
      <div className="flex flex-wrap gap-2">
        <Button onClick={onEdit} aria-label={`Edit ${name}`}>
          Edit
        </Button>
        <Button onClick={onSendTest} disabled={busy} aria-label={`Send a test to ${name}`}>
          Send test
        </Button>
        <Button
          onClick={() => setLogOpen(!logOpen)}
          aria-expanded={logOpen}
          aria-label={`Delivery log of ${name}`}
        >
          {logOpen ? 'Hide delivery log' : 'Delivery log'}
        </Button>
        {confirming ? (
          <>
            <Button tone="danger" disabled={busy} onClick={onDelete}>
              Yes, delete {name}
            </Button>
            <Button onClick={() => setConfirming(false)}>Keep it</Button>
          </>
        ) : (
          <Button onClick={() => setConfirming(true)} aria-label={`Delete ${name}`}>
            Delete
          </Button>
        )}
      </div>
      {logOpen && <DeliveryLog webhook={webhook} />}
    </li>
  );
}
