import { useState, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { auditFilterSchema, type AuditFilterInput } from '@/domain/audit-filter';
import { fieldIssues, issuesByPath } from '@/domain/validation';

const ACTION_FAMILIES = [
  'experiment',
  'flag',
  'segment',
  'gameday',
  'incident',
  'status.settings',
  'halt-all',
];

/** The filter form as typed: times as datetime-local strings. */
export interface FilterDraft {
  actor: string;
  action: string;
  experimentId: string;
  flagKey: string;
  since: string;
  until: string;
}

export const EMPTY_FILTER: FilterDraft = {
  actor: '',
  action: '',
  experimentId: '',
  flagKey: '',
  since: '',
  until: '',
};

const toMs = (local: string) => (local ? new Date(local).getTime() : undefined);

export function filterOf(draft: FilterDraft): AuditFilterInput {
  const filter: AuditFilterInput = {};
  if (draft.actor.trim()) filter.actor = draft.actor.trim();
  if (draft.action.trim()) filter.action = draft.action.trim();
  if (draft.experimentId.trim()) filter.experimentId = draft.experimentId.trim();
  if (draft.flagKey.trim()) filter.flagKey = draft.flagKey.trim();
  const since = toMs(draft.since);
  const until = toMs(draft.until);
  if (since !== undefined) filter.since = since;
  if (until !== undefined) filter.until = until;
  return filter;
}

const FIELDS: { key: keyof FilterDraft; label: string; type?: string; list?: string }[] = [
  { key: 'actor', label: 'Person' },
  { key: 'action', label: 'Action', list: 'audit-actions' },
  { key: 'experimentId', label: 'Experiment id' },
  { key: 'flagKey', label: 'Flag key' },
  { key: 'since', label: 'From', type: 'datetime-local' },
  { key: 'until', label: 'Until', type: 'datetime-local' },
];

/** Filters for the audit log; applied on submit, each problem shown next to its field. */
export function AuditFilters({
  initial,
  onApply,
}: {
  initial: FilterDraft;
  onApply(draft: FilterDraft): void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = auditFilterSchema.safeParse(filterOf(draft));
    if (!parsed.success) return setErrors(issuesByPath(fieldIssues(parsed.error)));
    setErrors({});
    onApply(draft);
  }
  return (
    <form
      role="search"
      aria-label="Audit filters"
      onSubmit={submit}
      className="flex flex-wrap items-end gap-3"
    >
      <datalist id="audit-actions">
        {ACTION_FAMILIES.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {FIELDS.map((field) => {
        const id = `audit-filter-${field.key}`;
        const error = errors[field.key];
        return (
          <div key={field.key} className="flex flex-col gap-1 text-sm">
            <label htmlFor={id} className="font-semibold text-muted">
              {field.label}
            </label>
            <input
              id={id}
              type={field.type ?? 'text'}
              list={field.list}
              value={draft[field.key]}
              aria-invalid={Boolean(error)}
              aria-describedby={error ? `${id}-error` : undefined}
              onChange={(e) => setDraft({ ...draft, [field.key]: e.target.value })}
              className="rounded-md border border-line bg-raised px-2 py-1 aria-[invalid=true]:border-danger"
            />
            {error && (
              <span id={`${id}-error`} className="text-xs font-semibold text-danger">
                {error}
              </span>
            )}
          </div>
        );
      })}
      <Button type="submit" tone="primary">
        Apply filters
      </Button>
      <Button
        onClick={() => {
          setDraft(EMPTY_FILTER);
          setErrors({});
          onApply(EMPTY_FILTER);
        }}
      >
        Clear
      </Button>
    </form>
  );
}
