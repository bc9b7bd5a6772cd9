import { useId, type FormEvent } from 'react';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { useGamedayDrafts } from './gameday-drafts';
import { useAddNote } from './use-gameday-actions';

/** A note for the timeline; the server stamps the author and the time. The draft survives a reload. */
export function NoteForm({ gamedayId }: { gamedayId: string }) {
  const id = useId();
  const text = useGamedayDrafts((s) => s.notes[gamedayId] ?? '');
  const setNote = useGamedayDrafts((s) => s.setNote);
  const add = useAddNote(gamedayId);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim() === '') return;
    add.mutate(text, { onSuccess: () => setNote(gamedayId, '') });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-2 print:hidden">
      <label htmlFor={id} className="text-sm font-semibold text-muted">
        Add a note
      </label>
      <textarea
        id={id}
        value={text}
        rows={2}
        onChange={(event) => setNote(gamedayId, event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) submit(event);
        }}
        placeholder="What do you see? (Ctrl+Enter adds it)"
        className="rounded-md border border-line bg-raised px-2 py-1"
      />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" tone="primary" disabled={add.isPending || text.trim() === ''}>
          {add.isPending ? 'Adding…' : 'Add note'}
        </Button>
        {add.error && <ErrorMessage error={add.error} />}
      </div>
    </form>
  );
}
