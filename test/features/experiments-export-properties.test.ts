import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ATTACK_INFO,
  ATTACK_TYPES,
  ENVIRONMENTS,
  METRICS,
  experimentSpecSchema,
  totalDurationSeconds,
  type AbortCondition,
  type ExperimentSpec,
} from '../../src/domain';
import { chaosMeshExport, chaosMeshYaml } from '../../src/features/experiments/export/chaos-mesh';
import {
  parseExperimentFile,
  toFaultlineJson,
} from '../../src/features/experiments/export/faultline-json';

const condition: fc.Arbitrary<AbortCondition> = fc.oneof(
  fc.record({
    kind: fc.constant('threshold' as const),
    metric: fc.constantFrom(...METRICS),
    comparator: fc.constantFrom('>' as const, '>=' as const, '<' as const, '<=' as const),
    threshold: fc.double({ min: 0, max: 5000, noNaN: true }),
    windowSeconds: fc.integer({ min: 0, max: 3600 }),
    scope: fc.constantFrom('target' as const, 'service' as const),
  }),
  fc.record({
    kind: fc.constant('rising' as const),
    metric: fc.constantFrom(...METRICS),
    delta: fc.double({ min: 0.01, max: 100, noNaN: true }),
    windowSeconds: fc.integer({ min: 1, max: 3600 }),
    scope: fc.constantFrom('target' as const, 'service' as const),
  }),
);

/** Any spec the schema accepts: every attack, ramp length, blast radius mode and condition form. */
const spec: fc.Arbitrary<ExperimentSpec> = fc
  .record({
    type: fc.constantFrom(...ATTACK_TYPES),
    environment: fc.constantFrom(...ENVIRONMENTS),
    service: fc.constantFrom('checkout', 'payments', 'search'),
    scope: fc.constantFrom('hosts' as const, 'containers' as const),
    radius: fc.oneof(
      fc.constant({ mode: 'all' as const }),
      fc.record({ mode: fc.constant('count' as const), value: fc.integer({ min: 1, max: 50 }) }),
      fc.record({
        mode: fc.constant('percent' as const),
        value: fc.double({ min: 0.5, max: 100, noNaN: true }),
      }),
    ),
    zone: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
    steps: fc.array(
      fc.record({
        fraction: fc.double({ min: 0, max: 1, noNaN: true }),
        durationSeconds: fc.integer({ min: 1, max: 3600 }),
      }),
      {
        minLength: 1,
        maxLength: 6,
      },
    ),
    abortConditions: fc.array(condition, { minLength: 1, maxLength: 4 }),
    name: fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim().length > 0),
    notes: fc.string({ maxLength: 80 }),
  })
  .map(
    ({
      type,
      environment,
      service,
      scope,
      radius,
      zone,
      steps,
      abortConditions,
      name,
      notes,
    }): ExperimentSpec => {
      const range = ATTACK_INFO[type].magnitude;
      return {
        name: name.trim(),
        hypothesis: 'It copes.',
        notes,
        environment,
        service,
        blastRadius: {
          scope,
          selector: zone ? { zone } : {},
          ...radius,
          source: { kind: 'selector' as const },
        },
        attack: { type },
        steps: steps.map((s) => ({
          durationSeconds: s.durationSeconds,
          ...(range
            ? { magnitude: Math.round(range.min + s.fraction * (range.max - range.min)) }
            : {}),
        })),
        abortConditions,
      };
    },
  );

type ChaosSpec = { mode: string; value?: string };

/** The chaos spec itself: the manifest's, or a Workflow's first step's embedded one. */
function chaosSpecOf(exported: ReturnType<typeof chaosMeshExport>): ChaosSpec {
  const spec = exported.manifest.spec as Record<string, unknown>;
  if (exported.kind !== 'Workflow') return spec as ChaosSpec;
  const step = (spec.templates as Record<string, unknown>[])[1] ?? {};
  const embedded = Object.entries(step).find(([key]) => key.endsWith('Chaos'))?.[1];
  return embedded as ChaosSpec;
}

describe('exports of any valid experiment', () => {
  it('the generator only makes specs the schema accepts', () => {
    fc.assert(
      fc.property(spec, (s) => experimentSpecSchema.safeParse(s).success),
      { numRuns: 200 },
    );
  });

  it('Faultline JSON round-trips to an identical spec', () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(parseExperimentFile(toFaultlineJson(s))).toEqual({ ok: true, spec: s });
      }),
      { numRuns: 200 },
    );
  });

  it('the Chaos Mesh manifest is one YAML document, equal to the object applied, lasting the whole ramp', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const docs = parseAllDocuments(chaosMeshYaml(s));
        expect(docs).toHaveLength(1);
        expect(docs[0]?.errors).toEqual([]);
        const exported = chaosMeshExport(s);
        expect(docs[0]?.toJS()).toEqual(exported.manifest);
        const body = exported.manifest.spec as Record<string, unknown>;
        const seconds = (go: unknown) => {
          const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(go));
          return m
            ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)
            : Number.NaN;
        };
        const total =
          exported.kind === 'Workflow'
            ? seconds((body.templates as { deadline: string }[])[0]?.deadline)
            : seconds(body.duration);
        expect(total).toBe(totalDurationSeconds(s.steps));
      }),
      { numRuns: 200 },
    );
  });

  it('never asks Chaos Mesh for a wider blast radius than Faultline selects', () => {
    fc.assert(
      fc.property(spec, (s) => {
        const body = chaosSpecOf(chaosMeshExport(s));
        const radius = s.blastRadius;
        if (radius.mode === 'all') expect(body).toMatchObject({ mode: 'all' });
        if (radius.mode === 'count')
          expect(body).toMatchObject({ mode: 'fixed', value: String(radius.value) });
        if (radius.mode === 'percent' && (radius.value ?? 100) < 1) {
          // Under 1 % Chaos Mesh has no percentage to take: one pod, never 1 % of them.
          expect(body).toMatchObject({ mode: 'fixed', value: '1' });
        } else if (radius.mode === 'percent') {
          expect(body.mode).toBe('fixed-percent');
          expect(Number(body.value)).toBeLessThanOrEqual(radius.value ?? 0);
          expect(Number.isInteger(Number(body.value))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
