import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import {
  buildFromTemplate,
  duplicateSpec,
  nextEnvironment,
  specForEnvironment,
  specOf,
  type Environment,
  type Experiment,
  type TemplateId,
} from '@/domain';
import { useViewSettings } from '@/lib/view-settings';
import { blankSpec } from './blank-spec';
import { CarryOverBanner } from './carry-over-banner';
import { Designer } from './designer';
import { hasUnsavedChanges, newDraft, useDrafts, type Draft } from './draft-store';
import { draftKeyOf, experimentPath, type NewExperimentSource } from './paths';
import { sourceFromParams } from './source-from-params';
import { TemplateLinkChoice } from './template-link-choice';
import { experimentQuery } from '@/lib/queries/experiments';

const templateDraft = (templateId: TemplateId, environment: Environment): Draft =>
  newDraft(buildFromTemplate(templateId, { service: '', environment }), {
    kind: 'template',
    templateId,
  });

/** The draft a source starts as; null while the experiment it copies is still loading. */
function initialDraft(
  source: NewExperimentSource,
  from: Experiment | undefined,
  inView: Environment,
): Draft | null {
  switch (source.kind) {
    case 'blank':
      return newDraft(blankSpec(inView), { kind: 'blank' });
    case 'template':
      return templateDraft(source.templateId, inView);
    case 'duplicate':
      return from
        ? newDraft(duplicateSpec(specOf(from)), { kind: 'duplicate', experimentId: from.id })
        : null;
    case 'next-environment': {
      const next = from ? nextEnvironment(from.environment) : null;
      if (!from || !next) return null;
      return newDraft(specForEnvironment(specOf(from), next), {
        kind: 'next-environment',
        experimentId: from.id,
        lineageId: from.lineageId,
      });
    }
  }
}

/** The template a ?template= link asks for, when the new draft kept in this browser started elsewhere. */
function templateAskedOver(
  source: NewExperimentSource,
  draft: Draft | undefined,
): TemplateId | null {
  if (source.kind !== 'template' || !draft) return null;
  const same = draft.origin.kind === 'template' && draft.origin.templateId === source.templateId;
  return same ? null : source.templateId;
}

/** /experiments/new: blank, from a template (?template=), a copy (?duplicate=) or the next stage (?next=). */
export function NewExperimentPage() {
  const backend = useBackend();
  const [params] = useSearchParams();
  const source = sourceFromParams(params);
  const key = draftKeyOf(source);
  const draft = useDrafts((s) => s.drafts[key]);
  const putDraft = useDrafts((s) => s.putDraft);
  const fromId =
    source.kind === 'duplicate' || source.kind === 'next-environment' ? source.experimentId : null;
  const from = useQuery({ ...experimentQuery(backend, fromId ?? ''), enabled: fromId !== null });
  const inView = useViewSettings((s) => s.environment);
  const initial = draft ? null : initialDraft(source, from.data, inView);
  // Once per visit: a draft discarded on the way out (started, saved) is not started again.
  const created = useRef<string | null>(null);
  const navigate = useNavigate();
  const askedTemplate = templateAskedOver(source, draft);
  const startFromTemplate = () => {
    if (askedTemplate) putDraft(key, templateDraft(askedTemplate, inView));
  };

  useEffect(() => {
    // A ?template= link over a new draft with nothing unsaved: nothing is lost, the template wins.
    if (askedTemplate && draft && !hasUnsavedChanges(draft)) {
      putDraft(key, templateDraft(askedTemplate, inView));
    }
  }, [askedTemplate, draft, key, putDraft, inView]);

  useEffect(() => {
    // A draft already kept in this browser wins: what the user typed is never replaced unasked.
    if (draft || !initial || created.current === key) return;
    created.current = key;
    putDraft(key, initial);
  }, [draft, initial, key, putDraft]);

  if (fromId !== null && from.error)
    return <ErrorMessage error={from.error} retry={() => void from.refetch()} />;
  if (source.kind === 'next-environment' && from.data && !nextEnvironment(from.data.environment)) {
    return (
      <p className="text-sm">
        “{from.data.name}” runs in production, the last stage.{' '}
        <Link to={experimentPath(from.data.id)}>Back to it</Link>
      </p>
    );
  }
  if (!draft) return <p className="text-sm text-muted">Preparing the designer…</p>;

  const banner =
    askedTemplate && hasUnsavedChanges(draft) ? (
      <TemplateLinkChoice
        templateId={askedTemplate}
        draftName={draft.spec.name}
        onTemplate={startFromTemplate}
        onKeep={() => void navigate('/experiments/new', { replace: true })}
      />
    ) : source.kind === 'next-environment' && from.data ? (
      <CarryOverBanner previous={from.data} copy={draft.spec} />
    ) : source.kind === 'duplicate' && from.data ? (
      <p className="rounded-md border border-line px-3 py-2 text-sm">
        A copy of “{from.data.name}”: nothing changes on the original.
      </p>
    ) : undefined;
  const title =
    source.kind === 'next-environment' ? `Run in ${draft.spec.environment}` : 'New experiment';
  return <Designer draftKey={key} title={title} banner={banner} />;
}
