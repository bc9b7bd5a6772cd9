import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useBackend } from '@/lib/backend-context';
import { segmentListQuery } from '@/lib/queries/flags';
import { useCan } from '@/lib/use-current-user';
import { ErrorMessage } from '@/components/error-message';
import { describeCondition, type Segment } from '@/domain/flags';
import { SegmentEditor } from './segment-editor';

/** The named segments every flag's rules may reuse. */
export function SegmentsSection() {
  const backend = useBackend();
  const canWrite = useCan('flag.write');
  const segments = useQuery(segmentListQuery(backend));
  const [editing, setEditing] = useState<Segment | 'new' | null>(null);
  return (
    <section aria-labelledby="segments-heading" className="flex flex-col gap-3">
      <div className="flex items-center justify-between">
        <h2 id="segments-heading" className="text-xl font-bold">
          Segments
        </h2>
        {canWrite && editing === null && (
          <button
            type="button"
            onClick={() => setEditing('new')}
            className="rounded-md border border-line bg-raised px-3 py-1 text-sm font-semibold hover:border-muted"
          >
            New segment
          </button>
        )}
      </div>
      {editing !== null && (
        <SegmentEditor
          segment={editing === 'new' ? null : editing}
          onDone={() => setEditing(null)}
        />
      )}
      {segments.error && (
        <ErrorMessage error={segments.error} retry={() => void segments.refetch()} />
      )}
      <ul className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {segments.data?.map((segment) => (
          <li
            key={segment.key}
            className="flex flex-col gap-1 rounded-lg border border-line bg-surface p-3 text-sm"
          >
            <div className="flex items-center justify-between gap-2">
              <span className="font-semibold">{segment.name}</span>
              {canWrite && (
                <button
                  type="button"
                  aria-label={`Edit segment ${segment.name}`}
                  onClick={() => setEditing(segment)}
                  className="text-xs text-accent hover:underline"
                >
                  Edit
                </button>
              )}
            </div>
            <span className="font-mono text-xs text-muted">{segment.key}</span>
            <span>{segment.conditions.map((c) => describeCondition(c)).join(' and ')}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
