import { useState, type FormEvent } from 'react';
import { isBackendError } from '@/backend/errors';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import type { Experiment } from '@/domain/experiment';
import {
  HYPOTHESIS_VERDICTS,
  writeFindingsSchema,
  type FollowUp,
  type Gameday,
  type HypothesisOutcome,
} from '@/domain/gamedays';
import { fieldIssues, issuesByPath } from '@/domain/validation';
import type { FindingsDraft } from './findings-draft';
import { useFindingsDraft } from './use-findings-draft';
import { Field, inputClass } from '@/components/field';
import { useWriteFindings } from './use-gameday-actions';

/** Afterwards: what broke, what surprised, follow-ups with an owner, and each hypothesis judged. */
export function FindingsForm({
  gameday,
  experiments,
  canWrite,
}: {
  gameday: Gameday;
  experiments: ReadonlyMap<string, Experiment>;
  canWrite: boolean;
}) {
  const { draft, conflict, edit, reload, forget } = useFindingsDraft(gameday);
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);
  const write = useWriteFindings(gameday.id);
  const serverIssues = isBackendError(write.error) ? issuesByPath(write.error.issues) : {};
  const errors = { ...serverIssues, ...issues };
  const update = (change: Partial<FindingsDraft>) => {
    setSaved(false);
    edit(change);
  };
  const setFollowUp = (index: number, change: Partial<FollowUp>) =>
    update({ followUps: draft.followUps.map((f, i) => (i === index ? { ...f, ...change } : f)) });

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      version: gameday.version,
      findings: { broke: draft.broke, surprised: draft.surprised, followUps: draft.followUps },
      hypothesisOutcomes: gameday.experimentIds.flatMap((experimentId) => {
        const outcome = draft.outcomes[experimentId];
        return outcome ? [{ experimentId, ...outcome }] : [];
      }),
    };
    if (conflict) return;
    const parsed = writeFindingsSchema.safeParse(body);
    if (!parsed.success) return setIssues(issuesByPath(fieldIssues(parsed.error)));
    setIssues({});
    write.mutate(body, {
      onSuccess: () => {
        forget();
        setSaved(true);
      },
    });
  }

  return (
    <form aria-labelledby="findings-heading" onSubmit={submit} className="flex flex-col gap-4">
      <h2 id="findings-heading" className="text-lg font-bold">
        Findings
      </h2>
      <fieldset disabled={!canWrite} className="flex flex-col gap-4">
        <Field label="What broke" error={errors['findings.broke']}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              value={draft.broke}
              onChange={(e) => update({ broke: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="What surprised us" error={errors['findings.surprised']}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              value={draft.surprised}
              onChange={(e) => update({ surprised: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
        <fieldset className="flex flex-col gap-2">
          <legend className="text-sm font-semibold text-muted">Follow-up actions</legend>
          {draft.followUps.map((followUp, index) => (
            <div key={index} className="flex flex-wrap items-end gap-2">
              <Field
                label={`Action ${index + 1}`}
                error={errors[`findings.followUps.${index}.action`]}
                className="min-w-64 flex-1"
              >
                {(control) => (
                  <input
                    {...control}
                    value={followUp.action}
                    onChange={(e) => setFollowUp(index, { action: e.target.value })}
                    className={inputClass}
                  />
                )}
              </Field>
              <Field
                label={`Owner of action ${index + 1}`}
                error={errors[`findings.followUps.${index}.owner`]}
              >
                {(control) => (
                  <input
                    {...control}
                    value={followUp.owner}
                    onChange={(e) => setFollowUp(index, { owner: e.target.value })}
                    className={inputClass}
                  />
                )}
              </Field>
              <label className="flex items-center gap-1 pb-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={followUp.done}
                  onChange={(e) => setFollowUp(index, { done: e.target.checked })}
                />{' '}
                done
              </label>
              <Button
                className="print:hidden"
                onClick={() => update({ followUps: draft.followUps.filter((_, i) => i !== index) })}
                aria-label={`Remove action ${index + 1}`}
              >
                ✕
              </Button>
            </div>
          ))}
          <Button
            className="self-start print:hidden"
            onClick={() =>
              update({ followUps: [...draft.followUps, { action: '', owner: '', done: false }] })
            }
          >
            Add a follow-up action
          </Button>
        </fieldset>
        <fieldset className="flex flex-col gap-3">
          <legend className="text-sm font-semibold text-muted">Hypothesis outcomes</legend>
          {gameday.experimentIds.map((experimentId) => {
            const experiment = experiments.get(experimentId);
            const name = experiment?.name ?? experimentId;
            const outcome = draft.outcomes[experimentId];
            const setOutcome = (change: Partial<Pick<HypothesisOutcome, 'verdict' | 'comment'>>) =>
              update({
                outcomes: {
                  ...draft.outcomes,
                  [experimentId]: {
                    verdict: outcome?.verdict ?? 'inconclusive',
                    comment: outcome?.comment ?? '',
                    ...change,
                  },
                },
              });
            return (
              <div
                key={experimentId}
                className="flex flex-col gap-1 rounded-md border border-line p-2"
              >
                <span className="font-semibold">{name}</span>
                {experiment && (
                  <span className="text-sm text-muted">Hypothesis: {experiment.hypothesis}</span>
                )}
                <div className="flex flex-wrap gap-2">
                  <Field label={`Outcome for ${name}`}>
                    {(control) => (
                      <select
                        {...control}
                        value={outcome?.verdict ?? ''}
                        onChange={(e) =>
                          setOutcome({ verdict: e.target.value as HypothesisOutcome['verdict'] })
                        }
                        className={inputClass}
                      >
                        <option value="" disabled>
                          not judged yet
                        </option>
                        {HYPOTHESIS_VERDICTS.map((v) => (
                          <option key={v} value={v}>
                            {v}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field label={`Comment on ${name}`} className="flex-1">
                    {(control) => (
                      <input
                        {...control}
                        value={outcome?.comment ?? ''}
                        onChange={(e) => setOutcome({ comment: e.target.value })}
                        className={inputClass}
                      />
                    )}
                  </Field>
                </div>
              </div>
            );
          })}
        </fieldset>
      </fieldset>
      {canWrite && (
        <div className="flex flex-wrap items-center gap-3 print:hidden">
          <Button type="submit" tone="primary" disabled={write.isPending}>
            {write.isPending ? 'Saving…' : 'Save findings'}
          </Button>
          {saved && (
            <span role="status" className="text-ok">
              Findings saved.
            </span>
          )}
          {conflict && (
            <span role="alert" className="text-warn">
              Someone else saved findings meanwhile. <Button onClick={reload}>Load theirs</Button>
            </span>
          )}
          {write.error && <ErrorMessage error={write.error} />}
        </div>
      )}
    </form>
  );
}
