import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { isBackendError } from '@/backend/errors';
import { useBackend } from '@/lib/backend-context';
import { Button } from '@/components/button';
import { ErrorMessage } from '@/components/error-message';
import { gamedaySpecSchema, type GamedaySpecInput } from '@/domain/gamedays';
import { fieldIssues, issuesByPath } from '@/domain/validation';
import { Field, inputClass } from '@/components/field';
import { specOfPlan, type PlanDraft } from './plan-draft';
import { ExperimentsPicker, ParticipantsEditor, RunbookEditor } from './plan-lists';
import { experimentListQuery } from '@/lib/queries/experiments';

interface PlanFormProps {
  plan: PlanDraft;
  onChange(plan: PlanDraft): void;
  onSubmit(spec: GamedaySpecInput): void;
  submitLabel: string;
  pending: boolean;
  error: unknown;
}

/** Plans a game day: when, who, which experiments in which order, and the runbook. */
export function PlanForm({ plan, onChange, onSubmit, submitLabel, pending, error }: PlanFormProps) {
  const backend = useBackend();
  const experiments = useQuery(experimentListQuery(backend));
  const [issues, setIssues] = useState<Record<string, string>>({});
  const serverIssues = isBackendError(error) ? issuesByPath(error.issues) : {};
  const errors = { ...serverIssues, ...issues };
  const change = (part: Partial<PlanDraft>) => onChange({ ...plan, ...part });

  function submit(event: FormEvent) {
    event.preventDefault();
    const spec = specOfPlan(plan);
    const parsed = gamedaySpecSchema.safeParse(spec);
    if (!parsed.success) return setIssues(issuesByPath(fieldIssues(parsed.error)));
    setIssues({});
    onSubmit(spec);
  }

  const available = experiments.data ?? [];
  return (
    <form onSubmit={submit} noValidate className="flex max-w-4xl flex-col gap-5">
      <Field label="Title" error={errors.title}>
        {(control) => (
          <input
            {...control}
            value={plan.title}
            onChange={(e) => change({ title: e.target.value })}
            className={inputClass}
          />
        )}
      </Field>
      <Field label="What is it for" error={errors.description}>
        {(control) => (
          <textarea
            {...control}
            rows={2}
            value={plan.description}
            onChange={(e) => change({ description: e.target.value })}
            className={inputClass}
          />
        )}
      </Field>
      <div className="flex flex-wrap gap-4">
        <Field label="Starts" error={errors.startsAt}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={plan.startsAt}
              onChange={(e) => change({ startsAt: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
        <Field label="Ends" error={errors.endsAt}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={plan.endsAt}
              onChange={(e) => change({ endsAt: e.target.value })}
              className={inputClass}
            />
          )}
        </Field>
      </div>
      <ParticipantsEditor plan={plan} errors={errors} change={change} />
      {experiments.error && (
        <ErrorMessage error={experiments.error} retry={() => void experiments.refetch()} />
      )}
      <ExperimentsPicker plan={plan} errors={errors} change={change} available={available} />
      <RunbookEditor plan={plan} errors={errors} change={change} available={available} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" tone="primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </Button>
        {Object.keys(errors).length > 0 && (
          <span className="text-sm text-danger">Check the fields marked above.</span>
        )}
        {error !== null &&
          error !== undefined &&
          !(isBackendError(error) && error.issues.length > 0) && <ErrorMessage error={error} />}
      </div>
    </form>
  );
}
