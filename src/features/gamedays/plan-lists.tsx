import { Button } from '@/components/button';
import type { Experiment } from '@/domain/experiment';
import { PARTICIPANT_ROLES, type ParticipantRole } from '@/domain/gamedays';
import { Field, inputClass } from '@/components/field';
import { move, type PlanDraft } from './plan-draft';

interface ListProps {
  plan: PlanDraft;
  errors: Record<string, string>;
  change(part: Partial<PlanDraft>): void;
}

export function ParticipantsEditor({ plan, errors, change }: ListProps) {
  const set = (index: number, part: Partial<PlanDraft['participants'][number]>) =>
    change({
      participants: plan.participants.map((p, i) => (i === index ? { ...p, ...part } : p)),
    });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="font-semibold">Participants</legend>
      {plan.participants.map((participant, index) => (
        <div key={index} className="flex flex-wrap items-end gap-2">
          <Field
            label={`Participant ${index + 1}`}
            error={errors[`participants.${index}.name`] ?? errors[`participants.${index}`]}
          >
            {(control) => (
              <input
                {...control}
                value={participant.name}
                onChange={(e) => set(index, { name: e.target.value })}
                className={inputClass}
              />
            )}
          </Field>
          <Field label={`Role of participant ${index + 1}`}>
            {(control) => (
              <select
                {...control}
                value={participant.role}
                onChange={(e) => set(index, { role: e.target.value as ParticipantRole })}
                className={inputClass}
              >
                {PARTICIPANT_ROLES.map((role) => (
                  <option key={role} value={role}>
                    {role}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button
            aria-label={`Remove participant ${index + 1}`}
            onClick={() =>
              change({ participants: plan.participants.filter((_, i) => i !== index) })
            }
          >
            ✕
          </Button>
        </div>
      ))}
      <Button
        className="self-start"
        onClick={() =>
          change({ participants: [...plan.participants, { name: '', role: 'observer' }] })
        }
      >
        Add a participant
      </Button>
    </fieldset>
  );
}

export function ExperimentsPicker({
  plan,
  errors,
  change,
  available,
}: ListProps & { available: readonly Experiment[] }) {
  const byId = new Map(available.map((e) => [e.id, e]));
  const choices = available.filter((e) => !plan.experimentIds.includes(e.id));
  const remove = (id: string) =>
    change({
      experimentIds: plan.experimentIds.filter((x) => x !== id),
      runbook: plan.runbook.map((s) => (s.experimentId === id ? { ...s, experimentId: null } : s)),
    });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="font-semibold">Experiments, in the order they run</legend>
      <ol className="flex flex-col gap-1">
        {plan.experimentIds.map((id, index) => {
          const name = byId.get(id)?.name ?? id;
          return (
            <li
              key={id}
              className="flex flex-wrap items-center gap-2 rounded-md border border-line px-2 py-1"
            >
              <span className="flex-1">
                {index + 1}. {name}
                {errors[`experimentIds.${index}`] && (
                  <span className="block text-xs font-semibold text-danger">
                    {errors[`experimentIds.${index}`]}
                  </span>
                )}
              </span>
              <Button
                aria-label={`Move ${name} up`}
                onClick={() => change({ experimentIds: move(plan.experimentIds, index, -1) })}
              >
                ↑
              </Button>
              <Button
                aria-label={`Move ${name} down`}
                onClick={() => change({ experimentIds: move(plan.experimentIds, index, 1) })}
              >
                ↓
              </Button>
              <Button aria-label={`Remove ${name}`} onClick={() => remove(id)}>
                ✕
              </Button>
            </li>
          );
        })}
      </ol>
      <Field label="Add an experiment" error={errors.experimentIds}>
        {(control) => (
          <select
            {...control}
            value=""
            onChange={(e) =>
              e.target.value && change({ experimentIds: [...plan.experimentIds, e.target.value] })
            }
            className={inputClass}
          >
            <option value="">Choose an experiment…</option>
            {choices.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name} ({e.service}/{e.environment}, {e.state})
              </option>
            ))}
          </select>
        )}
      </Field>
    </fieldset>
  );
}

export function RunbookEditor({
  plan,
  errors,
  change,
  available,
}: ListProps & { available: readonly Experiment[] }) {
  const names = new Map(available.map((e) => [e.id, e.name]));
  const set = (index: number, part: Partial<PlanDraft['runbook'][number]>) =>
    change({ runbook: plan.runbook.map((s, i) => (i === index ? { ...s, ...part } : s)) });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="font-semibold">Runbook</legend>
      {plan.runbook.map((step, index) => (
        <div key={step.id ?? `new-${index}`} className="flex flex-wrap items-end gap-2">
          <Field
            label={`Step ${index + 1}`}
            error={errors[`runbook.${index}.text`]}
            className="min-w-64 flex-1"
          >
            {(control) => (
              <input
                {...control}
                value={step.text}
                onChange={(e) => set(index, { text: e.target.value })}
                className={inputClass}
              />
            )}
          </Field>
          <Field
            label={`Experiment of step ${index + 1}`}
            error={errors[`runbook.${index}.experimentId`]}
          >
            {(control) => (
              <select
                {...control}
                value={step.experimentId ?? ''}
                onChange={(e) => set(index, { experimentId: e.target.value || null })}
                className={inputClass}
              >
                <option value="">none</option>
                {plan.experimentIds.map((id) => (
                  <option key={id} value={id}>
                    {names.get(id) ?? id}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Button
            aria-label={`Move step ${index + 1} up`}
            onClick={() => change({ runbook: move(plan.runbook, index, -1) })}
          >
            ↑
          </Button>
          <Button
            aria-label={`Move step ${index + 1} down`}
            onClick={() => change({ runbook: move(plan.runbook, index, 1) })}
          >
            ↓
          </Button>
          <Button
            aria-label={`Remove step ${index + 1}`}
            onClick={() => change({ runbook: plan.runbook.filter((_, i) => i !== index) })}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button
        className="self-start"
        onClick={() => change({ runbook: [...plan.runbook, { text: '', experimentId: null }] })}
      >
        Add a step
      </Button>
    </fieldset>
  );
}
