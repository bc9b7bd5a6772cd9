import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { Field, inputClass } from '@/components/field';
import type { FieldIssue } from '@/domain/validation';
import { fieldIssues } from '@/domain/validation';
import {
  WEBHOOK_EVENT_LABELS,
  WEBHOOK_EVENTS,
  webhookSpecSchema,
  type Webhook,
  type WebhookEvent,
  type WebhookFormat,
  type WebhookSpec,
} from '@/domain/webhooks';

export interface WebhookFormValues {
  spec: WebhookSpec;
  rotateSecret: boolean;
}

/** Messages by field ("name", "url", "events", "format"), from the form's check or the server's. */
export type WebhookFieldErrors = Partial<Record<'name' | 'url' | 'events' | 'format', string>>;

/** A server's or zod's issues on the form's fields: "spec.url" and "events.2" name "url", "events". */
export function webhookFieldErrors(issues: readonly FieldIssue[]): WebhookFieldErrors {
  const errors: WebhookFieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.replace(/^spec\./, '').split('.')[0];
    if (field === 'name' || field === 'url' || field === 'events' || field === 'format')
      errors[field] ??= issue.message;
  }
  return errors;
}

interface WebhookFormProps {
  /** The webhook being edited; none for a new one. */
  editing?: Webhook;
  errors: WebhookFieldErrors;
  pending: boolean;
  onSubmit(values: WebhookFormValues): void;
  onCheckFailed(errors: WebhookFieldErrors): void;
  onCancel?: () => void;
}

/** Add or edit a webhook: each field's message next to it, from this form's check or the server. */
export function WebhookForm(props: WebhookFormProps) {
  const { editing, errors, pending } = props;
  const [name, setName] = useState(editing?.name ?? '');
  const [url, setUrl] = useState(editing?.url ?? '');
  const [events, setEvents] = useState<WebhookEvent[]>(editing?.events ?? []);
  const [format, setFormat] = useState<WebhookFormat>(editing?.format ?? 'faultline');
  const [enabled, setEnabled] = useState(editing?.enabled ?? true);
  const [rotateSecret, setRotateSecret] = useState(false);
  const title = editing ? `Edit ${editing.name}` : 'Add a webhook';

  const toggle = (event: WebhookEvent, on: boolean) =>
    setEvents((current) =>
      on
        ? WEBHOOK_EVENTS.filter((e) => e === event || current.includes(e))
        : current.filter((e) => e !== event),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = webhookSpecSchema.safeParse({ name, url, events, format, enabled });
    if (!parsed.success) return props.onCheckFailed(webhookFieldErrors(fieldIssues(parsed.error)));
    props.onSubmit({ spec: parsed.data, rotateSecret });
  };

  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={title}
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 className="text-xl font-bold">{title}</h2>
      <div className="flex flex-wrap gap-3">
        <Field label="Name" error={errors.name} hint="Where it goes: “Leadership channel”">
          {(control) => (
            <input
              {...control}
              className={inputClass}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="URL"
          error={errors.url}
          hint="http:// or https://; Slack: the incoming webhook's URL"
          className="min-w-[20rem] flex-1"
        >
          {(control) => (
            <input
              {...control}
              type="url"
              className={inputClass}
              value={url}
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <Field label="Format" error={errors.format}>
          {(control) => (
            <select
              {...control}
              className={inputClass}
              value={format}
              onChange={(e) => setFormat(e.target.value as WebhookFormat)}
            >
              <option value="faultline">Faultline JSON</option>
              <option value="slack">Slack-compatible</option>
            </select>
          )}
        </Field>
      </div>
      <fieldset
        className="flex flex-col gap-1 text-sm"
        aria-invalid={Boolean(errors.events)}
        aria-describedby={errors.events ? 'webhook-events-error' : undefined}
      >
        <legend className="font-semibold text-muted">Events</legend>
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {WEBHOOK_EVENTS.map((event) => (
            <label key={event} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={events.includes(event)}
                onChange={(e) => toggle(event, e.target.checked)}
              />
              {WEBHOOK_EVENT_LABELS[event]}
            </label>
          ))}
        </div>
        {errors.events && (
          <span id="webhook-events-error" className="text-xs font-semibold text-danger">
            {errors.events}
          </span>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-4 text-sm">
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
          Enabled
        </label>
        {editing && (
          <label className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={rotateSecret}
              onChange={(e) => setRotateSecret(e.target.checked)}
            />
            Make a new signing secret (the old one stops working)
          </label>
        )}
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save webhook' : 'Add webhook'}
        </Button>
        {props.onCancel && <Button onClick={props.onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
