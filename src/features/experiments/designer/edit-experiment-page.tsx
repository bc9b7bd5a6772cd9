import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { specOf } from '@/domain';
import { Designer } from './designer';
import { newDraft, useDrafts } from './draft-store';
import { editDraftKey, experimentPath, newExperimentPath } from './paths';
import { experimentQuery } from '@/lib/queries/experiments';

/** /experiments/:id/edit: a draft experiment from the server, continued from this browser's copy if there is one. */
export function EditExperimentPage() {
  const { id = '' } = useParams();
  const backend = useBackend();
  const experiment = useQuery(experimentQuery(backend, id));
  const key = editDraftKey(id);
  const draft = useDrafts((s) => s.drafts[key]);
  const putDraft = useDrafts((s) => s.putDraft);
  const data = experiment.data;

  useEffect(() => {
    if (!draft && data && data.state === 'draft') {
      putDraft(
        key,
        newDraft(specOf(data), { kind: 'blank' }, { experimentId: data.id, version: data.version }),
      );
    }
  }, [draft, data, key, putDraft]);

  if (experiment.error)
    return <ErrorMessage error={experiment.error} retry={() => void experiment.refetch()} />;
  if (!data) return <p className="text-sm text-muted">Loading the experiment…</p>;
  if (data.state !== 'draft') {
    return (
      <div className="flex flex-col items-start gap-2 text-sm">
        <p>
          “{data.name}” is {data.state}: only a draft can be edited.
        </p>
        <div className="flex gap-3">
          <Link
            to={newExperimentPath({ kind: 'duplicate', experimentId: data.id })}
            className="font-semibold text-accent underline"
          >
            Duplicate it
          </Link>
          <Link to={experimentPath(data.id)} className="text-accent underline">
            Back to it
          </Link>
        </div>
      </div>
    );
  }
  if (!draft) return <p className="text-sm text-muted">Preparing the designer…</p>;

  const behind = draft.version !== null && draft.version < data.version;
  const banner = behind ? (
    <p
      role="alert"
      className="flex flex-wrap items-center gap-3 rounded-md border border-warn bg-warn/10 px-3 py-2 text-sm"
    >
      Someone saved version {data.version} on the server; your changes here start from version{' '}
      {draft.version}.
      <Button
        onClick={() =>
          putDraft(
            key,
            newDraft(
              specOf(data),
              { kind: 'blank' },
              { experimentId: data.id, version: data.version },
            ),
          )
        }
      >
        Load version {data.version}
      </Button>
    </p>
  ) : undefined;
  return <Designer draftKey={key} title={`Edit “${data.name}”`} banner={banner} />;
}
