import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { useBackend } from '@/lib/backend-context';
import { useCan } from '@/lib/use-current-user';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { OtherEnvironmentNote } from '@/components/other-environment-note';
import {
  attackRefusal,
  buildFromTemplate,
  type ExperimentSpec,
  type ExperimentSpecInput,
  type TemplateId,
} from '@/domain';
import { ExportMenu } from '../export/export-menu';
import { ImportButton } from '../export/import-button';
import { AbortConditionsSection } from './abort-conditions-section';
import { AttackSection } from './attack-section';
import { hasUnsavedChanges, useDrafts } from './draft-store';
import { HypothesisSection } from './hypothesis-section';
import { LeaveDialog } from './leave-dialog';
import { editDraftKey, editExperimentPath, experimentPath } from './paths';
import { ReviewStep } from './review-step';
import { TargetSection } from './target-section';
import { TemplatePicker } from './template-picker';
import { useBlastRadiusPreview } from './use-blast-radius-preview';
import { useDesignerActions } from './use-designer-actions';
import { useLeaveGuard } from './use-leave-guard';
import { serverIssues, stillApplies } from './stale-refusal';
import { validateSpec } from './validation';
import { fleetQuery } from '@/lib/queries/experiments';

interface DesignerProps {
  draftKey: string;
  title: string;
  /** Where this draft came from, said above the form (a copy, the next stage). */
  banner?: ReactNode;
}

const NO_RADIUS: ExperimentSpecInput['blastRadius'] = {
  scope: 'containers',
  selector: {},
  mode: 'all',
};

/**
 * The experiment designer: target on the fleet, attack and ramp, abort conditions, hypothesis;
 * validated as the user types, kept as a draft in this browser, reviewed in plain words before start.
 */
export function Designer({ draftKey, title, banner }: DesignerProps) {
  const backend = useBackend();
  const navigate = useNavigate();
  const draft = useDrafts((s) => s.drafts[draftKey]);
  const updateSpec = useDrafts((s) => s.updateSpec);
  const putDraft = useDrafts((s) => s.putDraft);
  const discardDraft = useDrafts((s) => s.discardDraft);
  const fleet = useQuery(fleetQuery(backend));
  const canWrite = useCan('experiment.write');
  const canStart = useCan('experiment.start');
  const [step, setStep] = useState<'design' | 'review'>('design');
  /** A template picked before the service: its words, to fill in the subject once it is chosen. */
  const [subjectless, setSubjectless] = useState<{
    id: TemplateId;
    name: string;
    hypothesis: string;
  } | null>(null);
  const { save, start } = useDesignerActions(draftKey);
  const isDirty = useCallback(
    () => hasUnsavedChanges(useDrafts.getState().drafts[draftKey]),
    [draftKey],
  );
  const blocker = useLeaveGuard(isDirty);
  const spec = draft?.spec;
  const validation = useMemo(() => (spec ? validateSpec(spec) : null), [spec]);
  const view = useBlastRadiusPreview(
    spec ?? { service: '', environment: 'development', blastRadius: NO_RADIUS },
  );

  if (!draft || !spec || !validation) return null;
  const change = (update: (s: ExperimentSpecInput) => ExperimentSpecInput) =>
    updateSpec(draftKey, (current) => {
      const next = update(current);
      const untouched =
        subjectless !== null &&
        !current.service &&
        next.service &&
        current.name === subjectless.name &&
        current.hypothesis === subjectless.hypothesis;
      if (!untouched) return next;
      const built = buildFromTemplate(subjectless.id, {
        service: next.service ?? '',
        environment: next.environment ?? 'development',
      });
      return { ...next, name: built.name, hypothesis: built.hypothesis };
    });
  // A refusal is about the spec that was sent: once what it named is changed, it is gone.
  const now = validation.spec ?? spec;
  const saveError = stillApplies(save.error, save.variables, now) ? save.error : null;
  const startError = stillApplies(start.error, start.variables?.spec, now) ? start.error : null;
  const issues = {
    ...serverIssues(save.error, save.variables, now),
    ...serverIssues(start.error, start.variables?.spec, now),
    ...validation.issues,
  };
  const issueCount = Object.keys(validation.issues).length;
  const unsaved = hasUnsavedChanges(draft);

  function saveDraft(valid: ExperimentSpec) {
    save.mutate(valid, {
      onSuccess: (saved) => {
        const key = editDraftKey(saved.id);
        if (key === draftKey) return;
        // A new experiment now lives on the server: its draft continues under the edit key.
        const current = useDrafts.getState().drafts[draftKey];
        if (current) putDraft(key, current);
        // Discarded once this page is gone, so it does not start a fresh draft in its place.
        void Promise.resolve(navigate(editExperimentPath(saved.id), { replace: true })).then(() =>
          discardDraft(draftKey),
        );
      },
    });
  }

  function pickTemplate(id: TemplateId) {
    const environment = spec?.environment ?? 'development';
    const built = buildFromTemplate(id, { service: spec?.service ?? '', environment });
    setSubjectless(built.service ? null : { id, name: built.name, hypothesis: built.hypothesis });
    change(() => built);
  }

  function startExperiment(
    valid: ExperimentSpec,
    confirmEnvironment: ExperimentSpec['environment'] | undefined,
  ) {
    start.mutate(
      { spec: valid, ...(confirmEnvironment ? { confirmEnvironment } : {}) },
      {
        onSuccess: (started) => {
          void Promise.resolve(navigate(experimentPath(started.id))).then(() =>
            discardDraft(draftKey),
          );
        },
      },
    );
  }

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4 pb-24">
      <header className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-bold">{title}</h1>
        <p className="text-xs text-muted" aria-live="polite">
          {unsaved ? 'Unsaved changes, kept in this browser' : 'No unsaved changes'}
          {draft.experimentId
            ? ` · on the server as version ${draft.version}`
            : ' · not on the server yet'}
        </p>
        <div className="ml-auto flex flex-wrap items-start gap-2">
          {step === 'design' && <TemplatePicker needsConfirm={unsaved} onPick={pickTemplate} />}
          {step === 'design' && <ImportButton onImport={(imported) => change(() => imported)} />}
          {validation.spec && <ExportMenu spec={validation.spec} />}
          {unsaved && (
            <Button
              onClick={() =>
                draft.savedSpec &&
                change(() => JSON.parse(draft.savedSpec ?? '{}') as ExperimentSpecInput)
              }
            >
              Discard changes
            </Button>
          )}
        </div>
      </header>
      {banner}
      {spec.environment && (
        <OtherEnvironmentNote shown={spec.environment} what="This experiment runs in" />
      )}
      {spec.environment === 'production' && (
        <p className="rounded-md border border-danger bg-danger/10 px-3 py-2 text-sm font-semibold text-danger">
          Production: real users are served here. Starting asks you to type the environment's name.
        </p>
      )}

      {step === 'review' && validation.spec ? (
        <ReviewStep
          spec={validation.spec}
          resolved={view.preview.resolved}
          serviceCount={
            view.instances.filter(
              (i) => i.kind === (spec.blastRadius.scope === 'hosts' ? 'host' : 'container'),
            ).length
          }
          refusal={attackRefusal(validation.spec.attack.type, view.preview.resolved.selected)}
          canStart={canStart}
          canSave={canWrite}
          starting={start.isPending}
          error={startError}
          onBack={() => setStep('design')}
          onStart={(confirmEnvironment) =>
            validation.spec && startExperiment(validation.spec, confirmEnvironment)
          }
        />
      ) : (
        <>
          <TargetSection
            spec={spec}
            issues={issues}
            fleet={fleet.data}
            view={view}
            onChange={change}
          />
          {fleet.error && <ErrorMessage error={fleet.error} retry={() => void fleet.refetch()} />}
          <AttackSection
            spec={spec}
            refusal={attackRefusal(spec.attack.type, view.preview.resolved.selected)}
            issues={issues}
            onChange={change}
          />
          <AbortConditionsSection spec={spec} issues={issues} onChange={change} />
          <HypothesisSection spec={spec} issues={issues} onChange={change} />
        </>
      )}

      <footer className="fixed inset-x-0 bottom-0 z-10 border-t border-line bg-surface/95 px-4 py-3 backdrop-blur">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-3">
          <p className={`text-sm ${issueCount ? 'text-danger' : 'text-ok'}`} aria-live="polite">
            {issueCount
              ? `${issueCount} ${issueCount === 1 ? 'field needs' : 'fields need'} attention before this can be saved or started.`
              : 'Ready to review.'}
          </p>
          {saveError !== null && <ErrorMessage error={saveError} />}
          {!canWrite && (
            <p id="save-reason" className="text-sm text-muted">
              A viewer cannot save or start experiments: ask a developer, an SRE or an admin.
            </p>
          )}
          <div className="ml-auto flex gap-2">
            <Button
              {...(!canWrite ? { 'aria-describedby': 'save-reason' } : {})}
              disabled={!validation.spec || !canWrite || save.isPending}
              onClick={() => validation.spec && saveDraft(validation.spec)}
            >
              {save.isPending ? 'Saving…' : 'Save draft'}
            </Button>
            {step === 'design' && (
              <Button tone="primary" disabled={!validation.spec} onClick={() => setStep('review')}>
                Review and start
              </Button>
            )}
          </div>
        </div>
      </footer>
      <LeaveDialog blocker={blocker} />
    </div>
  );
}
