import { useId, useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { Incident } from '@/domain/incidents';
import { useAddIncidentUpdate, useResolveIncident } from './use-incident-actions';

const when = (at: number) =>
  new Date(at).toLocaleString([], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });

/** One incident for the team: its summary, its updates with authors, and the forms to add one or resolve it. */
export function IncidentCard({ incident, canWrite }: { incident: Incident; canWrite: boolean }) {
  const textId = useId();
  const [text, setText] = useState('');
  const add = useAddIncidentUpdate(incident.id);
  const resolve = useResolveIncident(incident.id);
  const open = incident.state === 'open';

  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) add.mutate(text, { onSuccess: () => setText('') });
  }

  return (
    <article
      aria-label={incident.title}
      className={`flex flex-col gap-2 rounded-lg border bg-surface p-4 ${open ? 'border-danger' : 'border-line'}`}
    >
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 className="font-bold">{incident.title}</h2>
        <span className={`text-sm font-semibold ${open ? 'text-danger' : 'text-ok'}`}>
          {open ? 'Open' : 'Resolved'}
        </span>
      </header>
      <p className="text-xs text-muted">
        Opened {when(incident.openedAt)}
        {incident.resolvedAt !== null && ` · resolved ${when(incident.resolvedAt)}`}
      </p>
      <p>{incident.summary}</p>
      {incident.updates.length > 0 && (
        <ol className="flex flex-col gap-1 border-l-2 border-line pl-3 text-sm">
          {incident.updates.map((u) => (
            <li key={u.id}>
              <span className="text-muted">
                {when(u.at)} · {u.author ?? 'Faultline'}:{' '}
              </span>
              {u.text}
            </li>
          ))}
        </ol>
      )}
      {canWrite && open && (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
          <div className="flex min-w-64 flex-1 flex-col gap-1 text-sm">
            <label htmlFor={textId} className="font-semibold text-muted">
              Update
            </label>
            <input
              id={textId}
              value={text}
              onChange={(e) => setText(e.target.value)}
              className="rounded-md border border-line bg-raised px-2 py-1"
            />
          </div>
          <Button type="submit" disabled={add.isPending || !text.trim()}>
            Post update
          </Button>
          <Button
            tone="primary"
            disabled={resolve.isPending}
            onClick={() =>
              resolve.mutate({ version: incident.version, ...(text.trim() ? { text } : {}) })
            }
          >
            Resolve
          </Button>
        </form>
      )}
      {add.error && <ErrorMessage error={add.error} />}
      {resolve.error && <ErrorMessage error={resolve.error} />}
    </article>
  );
}
