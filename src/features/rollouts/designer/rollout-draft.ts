import { z } from 'zod';
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { ENVIRONMENTS } from '@/domain/environments';
import { rolloutMetricSchema } from '@/domain/rollouts';
import { draftVersion, readStoredDraft } from '@/lib/stored-drafts';
import {
  DEFAULT_ROLLOUT_ANALYSIS,
  fieldIssues,
  issuesByPath,
  pastStepTimes,
  rolloutSpecSchema,
  type Environment,
  type RolloutMetric,
  type RolloutSpec,
} from '@/domain';

/** A number box's value: undefined when empty, NaN when it holds something that is not a number. */
type Entered = number | undefined;

/** How a step ends: after a wait, at a time, or when a person promotes it. */
export type StepEnd = 'wait' | 'time' | 'person';

export interface DraftStep {
  weight: Entered;
  waitSeconds: Entered;
  /** The time the step may be promoted from, as a datetime-local box holds it (the viewer's zone). */
  waitUntil: string;
  ends: StepEnd;
}

/** What the person typed in the rollout designer, as typed: checked only when built. */
export interface RolloutDraft {
  kind: 'canary' | 'flag';
  name: string;
  service: string;
  environment: Environment;
  newVersion: string;
  flagKey: string;
  /** The flag's variant rolled out; empty: the first other than its off variant (the server's choice). */
  variant: string;
  steps: DraftStep[];
  metrics: RolloutMetric[];
  minSamples: Entered;
  confidence: Entered;
  tolerance: Entered;
  /** Simulation only: the new version answers this share of requests with 5xx, %. */
  defect5xxPercent: Entered;
  /** Simulation only: added to each request the new version serves, ms. */
  defectLatencyMs: Entered;
}

const BLANK_ROLLOUT_DRAFT: RolloutDraft = {
  kind: 'canary',
  name: '',
  service: '',
  environment: 'staging',
  newVersion: '',
  flagKey: '',
  variant: '',
  steps: [
    { weight: 5, waitSeconds: 60, waitUntil: '', ends: 'wait' },
    { weight: 25, waitSeconds: 60, waitUntil: '', ends: 'wait' },
    { weight: 50, waitSeconds: 60, waitUntil: '', ends: 'wait' },
    { weight: 100, waitSeconds: 0, waitUntil: '', ends: 'wait' },
  ],
  metrics: [...DEFAULT_ROLLOUT_ANALYSIS.metrics],
  minSamples: DEFAULT_ROLLOUT_ANALYSIS.minSamples,
  confidence: DEFAULT_ROLLOUT_ANALYSIS.confidence,
  tolerance: DEFAULT_ROLLOUT_ANALYSIS.tolerance,
  defect5xxPercent: 0,
  defectLatencyMs: 0,
};

/** A datetime-local value (the viewer's zone) as an instant with its offset; '' when empty or unreadable. */
function withOffset(local: string): string {
  const at = local ? new Date(local).getTime() : Number.NaN;
  return Number.isNaN(at) ? '' : new Date(at).toISOString();
}

/** A draft step as the spec has it: a wait, a time, or neither (a person promotes it). */
function stepInput(step: DraftStep) {
  const weight = step.weight ?? Number.NaN;
  if (step.ends === 'wait') return { weight, waitSeconds: step.waitSeconds ?? Number.NaN };
  if (step.ends === 'time') return { weight, waitUntil: withOffset(step.waitUntil) };
  return { weight, waitSeconds: null };
}

/** The spec the draft describes, before checking (empty boxes become NaN so zod names them). */
function specInput(draft: RolloutDraft) {
  const number = (n: Entered) => n ?? Number.NaN;
  const common = {
    name: draft.name,
    service: draft.service,
    environment: draft.environment,
    steps: draft.steps.map(stepInput),
    analysis: {
      metrics: draft.metrics,
      minSamples: number(draft.minSamples),
      confidence: number(draft.confidence),
      tolerance: number(draft.tolerance),
    },
  };
  const fivexx = draft.defect5xxPercent ?? 0;
  const latency = draft.defectLatencyMs ?? 0;
  const defect =
    fivexx !== 0 || latency !== 0
      ? { defect: { fivexxPercent: fivexx, addedLatencyMs: latency } }
      : {};
  if (draft.kind === 'flag') {
    return {
      kind: 'flag',
      flagKey: draft.flagKey,
      ...(draft.variant ? { variant: draft.variant } : {}),
      ...common,
      ...defect,
    };
  }
  return { kind: 'canary', newVersion: draft.newVersion, ...common, ...defect };
}

interface DraftValidation {
  /** The checked spec when valid: the only thing ever sent. */
  spec: RolloutSpec | null;
  /** Messages keyed by the spec's field path ("steps.1.weight"). */
  issues: Record<string, string>;
}

/** The draft checked as the server will check it at `now` (epoch ms, the server's clock). */
export function validateDraft(draft: RolloutDraft, now: number): DraftValidation {
  const input = specInput(draft);
  const result = rolloutSpecSchema.safeParse(input);
  // A time already past is refused on creation, so it is named here too.
  const past = pastStepTimes(input.steps, now);
  if (result.success && past.length === 0) return { spec: result.data, issues: {} };
  const issues = result.success ? past : [...fieldIssues(result.error), ...past];
  return { spec: null, issues: issuesByPath(issues) };
}

interface DraftState {
  draft: RolloutDraft;
  update: (change: (draft: RolloutDraft) => RolloutDraft) => void;
  reset: () => void;
}

/** The new-rollout draft, kept across reloads (what the user typed is never lost). */
export const useRolloutDraft = create<DraftState>()(
  persist(
    (set) => ({
      draft: BLANK_ROLLOUT_DRAFT,
      update: (change) => set((s) => ({ draft: change(s.draft) })),
      reset: () => set({ draft: BLANK_ROLLOUT_DRAFT }),
    }),
    {
      name: 'faultline.rollout-draft',
      // 1: `{ draft }`, checked with `storedRolloutDraftSchema` as it is read; 0 (none): the same.
      ...draftVersion(1),
      storage: createJSONStorage(() => localStorage),
      partialize: ({ draft }) => ({ draft }),
      // JSON has no NaN: a box that held text that is not a number comes back empty (null).
      merge: (persisted, current) => {
        const draft = { ...BLANK_ROLLOUT_DRAFT, ...draftOf(persisted) };
        return { ...current, draft: { ...draft, steps: draft.steps.map(draftStepOf) } };
      },
    },
  ),
);

/** A box's value as stored: an empty one has no key, one that held text that is not a number is null. */
const storedEnteredSchema = z.number().nullable().optional();

/**
 * The draft as stored, as typed (the designer checks it and names what is wrong): only the
 * shape it reads without checking is checked. A missing field takes the blank draft's value.
 */
const storedRolloutDraftSchema = z.looseObject({
  kind: z.enum(['canary', 'flag']).optional(),
  name: z.string().optional(),
  service: z.string().optional(),
  environment: z.enum(ENVIRONMENTS).optional(),
  newVersion: z.string().optional(),
  flagKey: z.string().optional(),
  variant: z.string().optional(),
  steps: z
    .array(
      z.looseObject({
        weight: storedEnteredSchema,
        waitSeconds: storedEnteredSchema,
        waitUntil: z.string().optional(),
        ends: z.enum(['wait', 'time', 'person']).optional(),
        // Kept before steps could end at a time: true when a person promotes the step.
        manual: z.boolean().optional(),
      }),
    )
    .optional(),
  metrics: z.array(rolloutMetricSchema).optional(),
  minSamples: storedEnteredSchema,
  confidence: storedEnteredSchema,
  tolerance: storedEnteredSchema,
  defect5xxPercent: storedEnteredSchema,
  defectLatencyMs: storedEnteredSchema,
});

/** The stored draft, or nothing (the blank draft) when there is none or it cannot be read. */
function draftOf(persisted: unknown): Partial<RolloutDraft> {
  const stored = z.object({ draft: z.unknown() }).safeParse(persisted);
  if (!stored.success || stored.data.draft === undefined) return {};
  const { draft } = stored.data;
  return (
    readStoredDraft<Partial<RolloutDraft>>(storedRolloutDraftSchema, draft, 'rollout draft') ?? {}
  );
}

/** A kept step, also one kept before steps could end at a time (`manual`: a person promotes it). */
function draftStepOf(step: Partial<DraftStep> & { manual?: boolean }): DraftStep {
  return {
    weight: step.weight,
    waitSeconds: step.waitSeconds,
    waitUntil: step.waitUntil ?? '',
    ends: step.ends ?? (step.manual ? 'person' : 'wait'),
  };
}

export function resetRolloutDraft(): void {
  useRolloutDraft.getState().reset();
}
