import { ATTACK_INFO, ATTACK_TYPES, type AttackType, type ExperimentSpecInput } from '@/domain';
import { ChoiceGroup } from './choice-group';
import { RampEditor } from './ramp-editor';

/** Where a magnitude starts when the attack changes: a gentle dose of the new kind. */
const DEFAULT_MAGNITUDE: Record<AttackType, number | undefined> = {
  cpu: 50,
  memory: 50,
  latency: 200,
  error: 5,
  'rate-limit': 10,
  'connection-drop': 5,
  'packet-loss': 10,
  shutdown: undefined,
};

const EXPLAIN: Record<AttackType, string> = {
  cpu: 'Burns CPU on each selected instance: the magnitude is the share of its CPU kept busy.',
  memory: 'Fills memory on each selected instance: the magnitude is the share of its memory held.',
  latency: 'Delays every call the selected instances make: the magnitude is added milliseconds.',
  error: 'Answers a share of requests to the selected instances with HTTP 500.',
  'rate-limit':
    'Answers a share of requests to the selected instances with HTTP 429 Too Many Requests ' +
    '(Retry-After: 1 s), as a rate limiter would: the magnitude is that share.',
  'connection-drop':
    'Cuts the connection of a share of requests to the selected instances before any answer: ' +
    'callers see a reset, a load balancer in front answers 502. The magnitude is that share.',
  'packet-loss': 'Drops a share of the network packets of the selected instances.',
  shutdown: 'Stops the selected instances for the duration of each step; it has no magnitude.',
};

interface AttackSectionProps {
  spec: ExperimentSpecInput;
  /** Why the chosen attack cannot run on the instances the blast radius holds now, or null. */
  refusal: string | null;
  issues: Record<string, string>;
  onChange: (update: (spec: ExperimentSpecInput) => ExperimentSpecInput) => void;
}

/** Attack and magnitude: the kind of harm, and how hard for how long. */
export function AttackSection({ spec, refusal, issues, onChange }: AttackSectionProps) {
  const type = spec.attack.type;
  const changeAttack = (next: AttackType) =>
    onChange((s) => ({
      ...s,
      attack: { type: next },
      // A magnitude means something else under another attack: start from that attack's default.
      steps: s.steps.map((step) => ({
        durationSeconds: step.durationSeconds,
        ...(DEFAULT_MAGNITUDE[next] === undefined ? {} : { magnitude: DEFAULT_MAGNITUDE[next] }),
      })),
    }));
  return (
    <section
      aria-labelledby="designer-attack"
      className="flex flex-col gap-3 rounded-lg border border-line bg-surface p-4"
    >
      <h2 id="designer-attack" className="text-lg font-semibold">
        Attack and magnitude
      </h2>
      <ChoiceGroup
        legend="Attack"
        value={type}
        options={ATTACK_TYPES.map((t) => ({ value: t, label: ATTACK_INFO[t].label }))}
        onChange={changeAttack}
      />
      <p className="text-sm text-muted">{EXPLAIN[type]}</p>
      {refusal && (
        <p
          role="alert"
          className="rounded-md border border-danger bg-danger/10 px-3 py-2 text-sm text-danger"
        >
          {refusal}. The server refuses to start it; pick another attack or narrow the blast radius.
        </p>
      )}
      <RampEditor
        type={type}
        steps={spec.steps}
        issues={issues}
        onChange={(steps) => onChange((s) => ({ ...s, steps }))}
      />
    </section>
  );
}
