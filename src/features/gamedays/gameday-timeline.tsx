import { useQuery } from '@tanstack/react-query';
import { useBackend } from '@/lib/backend-context';
import { gamedayTimelineQuery } from '@/lib/queries/gamedays';
import { ErrorMessage } from '@/components/error-message';
import { orderTimeline, type TimelineKind } from '@/domain/gamedays-timeline';
import { NoteForm } from './note-form';
import { clockTime } from './when';

const KIND_LOOK: Record<TimelineKind, { label: string; style: string }> = {
  started: { label: 'Started', style: 'border-warn text-warn' },
  stepped: { label: 'Step', style: 'border-line text-muted' },
  completed: { label: 'Completed', style: 'border-ok text-ok' },
  aborted: { label: 'Aborted', style: 'border-danger text-danger' },
  halted: { label: 'Halted', style: 'border-danger text-danger' },
  interrupted: { label: 'Interrupted', style: 'border-line text-muted' },
  'halt-all': { label: 'Halt all', style: 'border-danger text-danger' },
  'flag-off': { label: 'Flag off', style: 'border-danger text-danger' },
  'rollout-held': { label: 'Held', style: 'border-warn text-warn' },
  'rollout-paused': { label: 'Paused', style: 'border-warn text-warn' },
  note: { label: 'Note', style: 'border-accent text-accent' },
};

/** What happened, in time order: events from the stream and the notes people typed. */
export function GamedayTimeline({
  gamedayId,
  canWrite = true,
}: {
  gamedayId: string;
  canWrite?: boolean;
}) {
  const backend = useBackend();
  const timeline = useQuery(gamedayTimelineQuery(backend, gamedayId));
  const entries = orderTimeline(timeline.data ?? []);
  return (
    <section aria-labelledby="timeline-heading" className="flex flex-col gap-3">
      <h2 id="timeline-heading" className="text-lg font-bold">
        Timeline
      </h2>
      {timeline.error && (
        <ErrorMessage error={timeline.error} retry={() => void timeline.refetch()} />
      )}
      {timeline.data && entries.length === 0 && (
        <p className="text-muted">Nothing has happened yet. Events appear here as they happen.</p>
      )}
      <ol aria-label="Timeline entries" className="flex flex-col gap-1">
        {entries.map((entry) => {
          const look = KIND_LOOK[entry.kind];
          return (
            <li
              key={entry.id}
              className="grid grid-cols-[5.5rem_6.5rem_1fr] items-baseline gap-2 border-b border-line/50 py-1 text-sm"
            >
              <time dateTime={new Date(entry.at).toISOString()} className="text-muted">
                {clockTime(entry.at)}
              </time>
              <span
                className={`justify-self-start rounded-full border px-2 text-xs font-semibold ${look.style}`}
              >
                {look.label}
              </span>
              <span className={entry.kind === 'note' ? 'whitespace-pre-wrap' : ''}>
                {entry.text}
                {entry.kind === 'note' && entry.by && (
                  <span className="text-muted"> — {entry.by}</span>
                )}
              </span>
            </li>
          );
        })}
      </ol>
      {canWrite && <NoteForm gamedayId={gamedayId} />}
    </section>
  );
}
