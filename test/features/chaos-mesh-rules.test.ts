import { describe, expect, it } from 'vitest';
import {
  ATTACK_TYPES,
  blastRadiusSchema,
  isLabelKey,
  type BlastRadius,
  type ExperimentSpec,
} from '../../src/domain';
import { blastRadiusLimit } from '../../src/features/experiments/export/blast-radius-limit';
import { chaosMeshExport } from '../../src/features/experiments/export/chaos-mesh';
import { cpuSpec } from '../domain/fixtures';

// Our own statement of the rules Chaos Mesh's admission webhook and CRDs apply to what we
// export (chaos-mesh api/v1alpha1: PodSelector.Validate, MemoryStressor.tryParseBytes,
// CPUStressor.Validate, the PodSelectorSpec fields).
const SELECTOR_FIELDS = new Set([
  'namespaces',
  'nodes',
  'pods',
  'nodeSelectors',
  'fieldSelectors',
  'labelSelectors',
  'expressionSelectors',
  'annotationSelectors',
  'podPhaseSelectors',
]);
const MODES = new Set(['one', 'all', 'fixed', 'fixed-percent', 'random-max-percent']);
const isInt = (value: unknown) => typeof value === 'string' && /^-?\d+$/.test(value);

type Chaos = {
  mode: string;
  value?: string;
  selector: Record<string, unknown> & { labelSelectors?: Record<string, string> };
  stressors?: {
    memory?: { size: string; workers: number };
    cpu?: { load: number; workers: number };
  };
};

function webhookErrors(chaos: Chaos): string[] {
  const errors: string[] = [];
  if (!MODES.has(chaos.mode)) errors.push(`mode ${chaos.mode}`);
  if (chaos.mode === 'fixed' && !(isInt(chaos.value) && Number(chaos.value) > 0))
    errors.push(`value ${chaos.value} with mode fixed`);
  if (
    (chaos.mode === 'fixed-percent' || chaos.mode === 'random-max-percent') &&
    !(isInt(chaos.value) && Number(chaos.value) > 0 && Number(chaos.value) <= 100)
  )
    errors.push(`value ${chaos.value} with mode ${chaos.mode}`);
  for (const field of Object.keys(chaos.selector))
    if (!SELECTOR_FIELDS.has(field)) errors.push(`selector.${field}`);
  for (const key of Object.keys(chaos.selector.labelSelectors ?? {}))
    if (!isLabelKey(key)) errors.push(`label key ${key}`);
  const memory = chaos.stressors?.memory;
  if (memory) {
    const size = memory.size;
    if (size.endsWith('%')) {
      const percent = size.slice(0, -1);
      if (!isInt(percent) || Number(percent) < 0 || Number(percent) > 100)
        errors.push(`memory size ${size}`);
    } else if (!/^\d+(\.\d+)?\s?[kKmMgGtTpP]?i?[bB]?$/.test(size))
      errors.push(`memory size ${size}`);
    if (!(memory.workers > 0)) errors.push('memory workers');
  }
  const cpu = chaos.stressors?.cpu;
  if (cpu && (cpu.load < 0 || cpu.load > 100 || !(cpu.workers > 0))) errors.push('cpu stressor');
  return errors;
}

/** Every chaos body in the export: the single resource's spec or each Workflow step's. */
function chaosBodies(spec: ExperimentSpec, targets?: string[]): Chaos[] {
  const { manifest } = chaosMeshExport(spec, { targets });
  const body = manifest.spec as Record<string, unknown>;
  if (manifest.kind !== 'Workflow') return [body as unknown as Chaos];
  return (body.templates as Record<string, unknown>[])
    .filter((t) => t.templateType !== 'Serial')
    .map((t) => Object.values(t).find((v) => v && typeof v === 'object' && 'mode' in v) as Chaos);
}

const radius = (overrides: Partial<BlastRadius>): BlastRadius =>
  blastRadiusSchema.parse({ scope: 'containers', selector: {}, mode: 'all', ...overrides });

const RADII: [string, BlastRadius][] = [
  ['all of a selector', radius({ selector: { 'app.kubernetes.io/name': 'checkout', zone: 'a' } })],
  ['a count', radius({ mode: 'count', value: 2 })],
  ['50 %', radius({ mode: 'percent', value: 50 })],
  ['12.5 %', radius({ mode: 'percent', value: 12.5 })],
  ['0.5 %', radius({ mode: 'percent', value: 0.5 })],
  ['a flag cohort', radius({ source: { kind: 'flag', flagKey: 'new-checkout' } })],
  ['the canary', radius({ source: { kind: 'canary' } })],
  ['hosts', radius({ scope: 'hosts', mode: 'count', value: 1 })],
];

const MAGNITUDE = {
  cpu: 62.5,
  memory: 12.5,
  latency: 200,
  error: 5,
  'packet-loss': 10,
  shutdown: undefined,
};

describe('Chaos Mesh manifests against the webhook’s rules', () => {
  for (const type of ATTACK_TYPES)
    for (const [name, blastRadius] of RADII)
      for (const targets of [undefined, ['checkout-stg-h1-c1', 'checkout-stg-h2-c2']])
        for (const steps of [1, 2])
          it(`accepts ${type} on ${name}${targets ? ' (the pods it hit)' : ''}, ${steps} step(s)`, () => {
            const spec = cpuSpec({
              attack: { type },
              blastRadius,
              steps: Array.from({ length: steps }, (_, i) => ({
                magnitude: MAGNITUDE[type] === undefined ? undefined : MAGNITUDE[type] + i,
                durationSeconds: 60,
              })),
            });
            for (const chaos of chaosBodies(spec, targets))
              expect(webhookErrors(chaos)).toEqual([]);
          });
});

describe('Chaos Mesh blast radius', () => {
  it('hits exactly the pods the experiment hit, by name, once they are known', () => {
    const spec = cpuSpec({
      blastRadius: radius({ source: { kind: 'flag', flagKey: 'new-checkout' } }),
    });
    const [chaos] = chaosBodies(spec, ['checkout-stg-h1-c1']);
    expect(chaos?.mode).toBe('all');
    expect(chaos?.selector).toEqual({ pods: { staging: ['checkout-stg-h1-c1'] } });
    expect(blastRadiusLimit(spec, { targets: ['checkout-stg-h1-c1'] })).toBeNull();
  });

  it('selects every pod of the service on the hosts hit when the blast radius counts hosts', () => {
    const spec = cpuSpec({ blastRadius: radius({ scope: 'hosts', mode: 'count', value: 1 }) });
    const [chaos] = chaosBodies(spec, ['checkout-stg-h2']);
    expect(chaos?.selector).toEqual({
      namespaces: ['staging'],
      labelSelectors: { app: 'checkout' },
      nodes: ['checkout-stg-h2'],
    });
  });

  it('never turns a flag cohort into mode all on the whole service, and says it cannot keep it', () => {
    const spec = cpuSpec({
      blastRadius: radius({ source: { kind: 'flag', flagKey: 'new-checkout' } }),
    });
    const [chaos] = chaosBodies(spec);
    expect([chaos?.mode, chaos?.value]).toEqual(['fixed', '1']);
    expect(blastRadiusLimit(spec)).toMatch(/cannot select the cohort of flag "new-checkout"/);
  });

  it('keeps the canary as its version label', () => {
    const [chaos] = chaosBodies(cpuSpec({ blastRadius: radius({ source: { kind: 'canary' } }) }));
    expect(chaos?.selector.labelSelectors).toMatchObject({ app: 'checkout', version: 'canary' });
    expect(
      blastRadiusLimit(cpuSpec({ blastRadius: radius({ source: { kind: 'canary' } }) })),
    ).toBeNull();
  });

  it.each([
    [0.5, 'fixed', '1'],
    [12.5, 'fixed-percent', '12'],
    [50, 'fixed-percent', '50'],
  ])('never widens %d % (exported as %s %s)', (percent, mode, value) => {
    const spec = cpuSpec({ blastRadius: radius({ mode: 'percent', value: percent }) });
    const [chaos] = chaosBodies(spec);
    expect([chaos?.mode, chaos?.value]).toEqual([mode, value]);
    if (mode === 'fixed-percent') expect(Number(value)).toBeLessThanOrEqual(percent);
    else expect(blastRadiusLimit(spec)).toMatch(/whole percentages/);
  });

  it('exports a fractional memory magnitude as a whole percentage the webhook accepts', () => {
    const spec = cpuSpec({
      attack: { type: 'memory' },
      steps: [{ magnitude: 12.5, durationSeconds: 60 }],
    });
    expect(chaosBodies(spec)[0]?.stressors?.memory?.size).toBe('12%');
  });

  it.each([
    ['app.kubernetes.io/name', true],
    ['zone', true],
    ['example.com/tier', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Example.com/tier', false],
    ['/name', false],
    ['app.kubernetes.io/', false],
    ['-zone', false],
  ])('takes %s as a label key: %s', (key, valid) => {
    expect(isLabelKey(key)).toBe(valid);
    expect(
      blastRadiusSchema.safeParse({ scope: 'hosts', selector: { [key]: 'x' }, mode: 'all' })
        .success,
    ).toBe(valid);
  });
});
