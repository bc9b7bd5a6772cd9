import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { BackendError } from '@/backend/errors';
import { ErrorMessage } from '@/components/error-message';
import type { Webhook } from '@/domain/webhooks';
import { useBackend } from '@/lib/backend-context';
import { webhookListQuery } from '@/lib/queries/notifications';
import { useCan, useCurrentUser } from '@/lib/use-current-user';
import { ShownSecret } from './shown-secret';
import { useWebhookActions } from './use-webhook-actions';
import {
  WebhookForm,
  webhookFieldErrors,
  type WebhookFieldErrors,
  type WebhookFormValues,
} from './webhook-form';
import { WebhookRow } from './webhook-row';

const invalid = (error: unknown): error is BackendError =>
  error instanceof BackendError && error.kind === 'invalid';

/** Admins only: the webhooks that tell people elsewhere of stops, incidents and rollbacks. */
export function NotificationsPage() {
  const backend = useBackend();
  const isAdmin = useCan('admin.settings');
  const signedIn = useCurrentUser() !== null;
  const webhooks = useQuery({ ...webhookListQuery(backend), enabled: isAdmin });
  const actions = useWebhookActions();
  const [editing, setEditing] = useState<Webhook | null>(null);
  const [errors, setErrors] = useState<WebhookFieldErrors>({});
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  // A fresh form after each save: its fields start from what is stored.
  const [formKey, setFormKey] = useState(0);

  const saved = (name: string, newSecret: string | undefined) => {
    setErrors({});
    setEditing(null);
    setFormKey((k) => k + 1);
    setSecret(newSecret ? { name, secret: newSecret } : null);
  };
  const refused = (error: unknown) => {
    if (invalid(error)) setErrors(webhookFieldErrors(error.issues));
  };
  const submit = ({ spec, rotateSecret }: WebhookFormValues) => {
    if (editing) {
      const update = { version: editing.version, spec, rotateSecret };
      actions.update.mutate(
        { id: editing.id, update },
        { onSuccess: (after) => saved(after.name, after.secret), onError: refused },
      );
    } else {
      actions.create.mutate(spec, {
        onSuccess: (created) => saved(created.name, created.secret),
        onError: refused,
      });
    }
  };
  const writeError = [actions.create.error, actions.update.error].find((e) => e && !invalid(e));
  const rowError = actions.remove.error ?? actions.sendTest.error;

  if (!isAdmin)
    return (
      <p className="text-muted">
        {signedIn ? 'Only an admin can see and change notifications.' : 'Loading…'}
      </p>
    );
  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="notifications-heading" className="flex flex-col gap-2">
        <h1 id="notifications-heading" className="text-2xl font-bold">
          Notifications
        </h1>
        <p className="text-sm text-muted">
          Webhooks tell people who are not watching (a leadership channel, a customer status tool)
          when an experiment aborts or is halted, when someone halts everything, when an incident
          opens, changes or is resolved, and when a rollout is rolled back. Each body is signed with
          the webhook&apos;s secret; a receiver that fails is retried with backoff, and never slows
          a stop.
        </p>
      </section>
      {secret && <ShownSecret {...secret} onDone={() => setSecret(null)} />}
      <WebhookForm
        key={editing ? `edit-${editing.id}` : `new-${formKey}`}
        {...(editing ? { editing, onCancel: () => saved(editing.name, undefined) } : {})}
        errors={errors}
        pending={actions.create.isPending || actions.update.isPending}
        onSubmit={submit}
        onCheckFailed={setErrors}
      />
      {writeError && <ErrorMessage error={writeError} />}
      <section aria-labelledby="webhooks-heading" className="flex flex-col gap-3">
        <h2 id="webhooks-heading" className="text-xl font-bold">
          Webhooks
        </h2>
        {webhooks.error && (
          <ErrorMessage error={webhooks.error} retry={() => void webhooks.refetch()} />
        )}
        {rowError && <ErrorMessage error={rowError} />}
        {webhooks.data && webhooks.data.length === 0 && (
          <p className="text-muted">No webhook yet: add one above.</p>
        )}
        <ul className="flex flex-col gap-3">
          {webhooks.data?.map((webhook) => (
            <WebhookRow
              key={webhook.id}
              webhook={webhook}
              busy={actions.remove.isPending || actions.sendTest.isPending}
              onEdit={() => {
                setErrors({});
                setEditing(webhook);
              }}
              onSendTest={() => actions.sendTest.mutate(webhook.id)}
              onDelete={() => actions.remove.mutate({ id: webhook.id, version: webhook.version })}
            />
          ))}
        </ul>
      </section>
    </div>
  );
}
