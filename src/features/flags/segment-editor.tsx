import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isBackendError } from '@/backend/errors';
import { useBackend, capability } from '@/lib/backend-context';
import { ErrorMessage } from '@/components/error-message';
import { segmentSpecSchema, type Segment, type SegmentSpec } from '@/domain/flags';
import { fieldIssues, issuesByPath } from '@/domain/validation';
import { ConditionEditor } from './condition-editor';
import { JsonRuleEditor } from './json-rule-editor';
import { blankCondition } from './draft-edits';
import { Field, InlineError, inputClass } from '@/components/field';
import { flagKeys } from '@/backend/query-keys';

interface SegmentEditorProps {
  segment: Segment | null;
  onDone: () => void;
}

/** A named group of users ("Internal employees"): conditions that must all hold, reused by flags. */
export function SegmentEditor({ segment, onDone }: SegmentEditorProps) {
  const backend = useBackend();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SegmentSpec>(
    segment ?? { key: '', name: '', description: '', conditions: [blankCondition('ends_with')] },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (spec: SegmentSpec) =>
      segment
        ? capability(backend, 'flags').updateSegment(segment.key, segment.version, spec)
        : capability(backend, 'flags').createSegment(spec),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: flagKeys.segments });
      onDone();
    },
    onError: (error) => {
      if (isBackendError(error) && error.issues.length > 0)
        setErrors(
          issuesByPath(error.issues.map((i) => ({ ...i, path: i.path.replace(/^spec\./, '') }))),
        );
    },
  });
  const remove = useMutation({
    mutationFn: (target: Segment) =>
      capability(backend, 'flags').deleteSegment(target.key, target.version),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: flagKeys.segments });
      onDone();
    },
  });
  const submit = () => {
    const parsed = segmentSpecSchema.safeParse(draft);
    if (!parsed.success) return setErrors(issuesByPath(fieldIssues(parsed.error)));
    setErrors({});
    save.mutate(parsed.data);
  };
  const title = segment ? `Edit segment ${segment.name}` : 'New segment';
  return (
    <form
      aria-label={title}
      onSubmit={(e) => (e.preventDefault(), submit())}
      className="flex flex-col gap-3 rounded-lg border border-accent/60 bg-surface p-3"
    >
      <h3 className="font-bold">{title}</h3>
      <div className="grid gap-2 sm:grid-cols-3">
        <Field label="Segment key" error={errors.key}>
          {(control) => (
            <input
              {...control}
              className={inputClass}
              disabled={segment !== null}
              value={draft.key}
              onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            />
          )}
        </Field>
        <Field label="Segment name" error={errors.name}>
          {(control) => (
            <input
              {...control}
              className={inputClass}
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Segment description" error={errors.description}>
          {(control) => (
            <input
              {...control}
              className={inputClass}
              value={draft.description}
              onChange={(e) => setDraft({ ...draft, description: e.target.value })}
            />
          )}
        </Field>
      </div>
      {draft.logic !== undefined && (
        <JsonRuleEditor
          subject={`segment ${draft.key}`}
          logic={draft.logic}
          error={errors.logic}
          onChange={(logic) => setDraft({ ...draft, logic })}
          onReplace={() => {
            const { logic: _dropped, ...rest } = draft;
            setDraft({ ...rest, conditions: [blankCondition('ends_with')] });
          }}
        />
      )}
      {draft.conditions.map((condition, i) => (
        <ConditionEditor
          key={i}
          condition={condition}
          name={`condition ${i + 1} of the segment`}
          path={`conditions.${i}`}
          errors={errors}
          segments={[]}
          allowSegments={false}
          onChange={(next) =>
            setDraft({ ...draft, conditions: draft.conditions.map((c, j) => (j === i ? next : c)) })
          }
          onRemove={() =>
            setDraft({ ...draft, conditions: draft.conditions.filter((_, j) => j !== i) })
          }
        />
      ))}
      <InlineError id="segment-conditions" message={errors.conditions} />
      <div className="flex flex-wrap gap-2">
        {draft.logic === undefined && (
          <button
            type="button"
            className="rounded border border-line px-2 py-1 text-xs font-semibold"
            onClick={() =>
              setDraft({ ...draft, conditions: [...draft.conditions, blankCondition('equals')] })
            }
          >
            Add condition
          </button>
        )}
        <button
          type="submit"
          disabled={save.isPending}
          className="rounded-md bg-accent px-3 py-1 text-sm font-semibold text-bg"
        >
          Save segment
        </button>
        <button
          type="button"
          onClick={onDone}
          className="rounded-md border border-line px-3 py-1 text-sm"
        >
          Cancel
        </button>
        {segment && (
          <button
            type="button"
            disabled={remove.isPending}
            onClick={() => remove.mutate(segment)}
            className="ml-auto rounded-md border border-danger px-3 py-1 text-sm font-semibold text-danger"
          >
            Delete segment
          </button>
        )}
      </div>
      {remove.error && <ErrorMessage error={remove.error} />}
      {save.error && !(isBackendError(save.error) && save.error.issues.length > 0) && (
        <ErrorMessage error={save.error} />
      )}
    </form>
  );
}
