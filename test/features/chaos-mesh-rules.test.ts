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
// CPUStressor.Validate, the PodSelectorSpec fields; for Workflows, the template types, the
// StatusCheckSpec / HTTPStatusCheck / StatusCode rules and the CRD's minimums).
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

const TEMPLATE_TYPES = new Set([
  'Serial',
  'Parallel',
  'StatusCheck',
  'StressChaos',
  'NetworkChaos',
  'HTTPChaos',
  'PodChaos',
]);
const CONTROL_TYPES = new Set(['Serial', 'Parallel', 'StatusCheck']);
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
const statusCodeOk = (code: unknown): boolean => {
  if (typeof code !== 'string') return false;
  const inRange = (text: string | undefined) =>
    text !== undefined && /^\d+$/.test(text) && Number(text) > 0 && Number(text) < 1000;
  const [low, high, ...rest] = code.split('-');
  return rest.length === 0 && inRange(low) && (high === undefined || inRange(high));
};

type Template = Record<string, unknown> & { name?: unknown; templateType?: unknown };

function statusCheckErrors(template: Template): string[] {
  const errors: string[] = [];
  const check = template.statusCheck as Record<string, unknown> | undefined;
  if (!check) return ['statusCheck is required for a StatusCheck template'];
  if (!['Synchronous', 'Continuous'].includes(String(check.mode ?? 'Synchronous')))
    errors.push(`mode ${String(check.mode)}`);
  if (check.type !== 'HTTP') errors.push(`type ${String(check.type)}`);
  for (const field of ['timeoutSeconds', 'intervalSeconds', 'failureThreshold', 'successThreshold'])
    if (field in check && !(Number.isInteger(check[field]) && Number(check[field]) >= 1))
      errors.push(`${field} ${String(check[field])}`);
  const http = check.http as Record<string, unknown> | undefined;
  if (!http) return [...errors, 'http is required for type HTTP'];
  // Go's url.ParseRequestURI: an absolute URL (or an absolute path).
  if (typeof http.url !== 'string' || !URL.canParse(http.url))
    errors.push(`url ${String(http.url)}`);
  if (!['GET', 'POST'].includes(String(http.method ?? 'GET')))
    errors.push(`method ${String(http.method)}`);
  for (const [name, values] of Object.entries((http.headers ?? {}) as Record<string, unknown>))
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))
      errors.push(`header ${name} must be a list of strings`);
  const criteria = http.criteria as Record<string, unknown> | undefined;
  if (!statusCodeOk(criteria?.statusCode))
    errors.push(`statusCode ${String(criteria?.statusCode)}`);
  return errors;
}

/** What the Workflow webhook and CRD refuse: unknown types, names that point nowhere, bad checks. */
function workflowErrors(manifest: Record<string, unknown>): string[] {
  if (manifest.kind !== 'Workflow') return [];
  const spec = manifest.spec as { entry?: unknown; templates?: Template[] };
  const templates = spec.templates ?? [];
  const names = templates.map((t) => t.name);
  const errors: string[] = [];
  if (new Set(names).size !== names.length)
    errors.push(`template names repeat: ${names.join(', ')}`);
  if (!names.includes(spec.entry)) errors.push(`entry ${String(spec.entry)} names no template`);
  for (const template of templates) {
    const type = String(template.templateType);
    if (!TEMPLATE_TYPES.has(type)) errors.push(`templateType ${type}`);
    if (template.deadline !== undefined && !GO_DURATION.test(String(template.deadline)))
      errors.push(`deadline ${String(template.deadline)}`);
    if (type === 'Serial' || type === 'Parallel') {
      const children = template.children;
      if (!Array.isArray(children) || children.length === 0)
        errors.push(`${String(template.name)} has no children`);
      else
        for (const child of children)
          if (!names.includes(child)) errors.push(`child ${String(child)}`);
    }
    if (type === 'StatusCheck') errors.push(...statusCheckErrors(template));
    if ('abortWithStatusCheck' in template && type !== 'StatusCheck')
      errors.push(`abortWithStatusCheck on ${type}`);
  }
  return errors;
}

const ABORT_CHECK = { faultlineUrl: 'http://127.0.0.1:4000', experimentId: 'exp-1' };

/** Every chaos body in the export: the single resource's spec or each Workflow step's. */
function chaosBodies(spec: ExperimentSpec, targets?: string[], withCheck = false): Chaos[] {
  const { manifest } = chaosMeshExport(spec, {
    targets,
    ...(withCheck && { abortCheck: ABORT_CHECK }),
  });
  expect(workflowErrors(manifest)).toEqual([]);
  const body = manifest.spec as Record<string, unknown>;
  if (manifest.kind !== 'Workflow') return [body as unknown as Chaos];
  return (body.templates as Record<string, unknown>[])
    .filter((t) => !CONTROL_TYPES.has(String(t.templateType)))
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
  'rate-limit': 10,
  'connection-drop': 5,
  'packet-loss': 10,
  shutdown: undefined,
};

describe('Chaos Mesh manifests against the webhook’s rules', () => {
  for (const type of ATTACK_TYPES)
    for (const [name, blastRadius] of RADII)
      for (const targets of [undefined, ['checkout-stg-h1-c1', 'checkout-stg-h2-c2']])
        for (const steps of [1, 2])
          for (const withCheck of [false, true])
            it(`accepts ${type} on ${name}${targets ? ' (the pods it hit)' : ''}, ${steps} step(s)${
              withCheck ? ', with a StatusCheck' : ''
            }`, () => {
              const spec = cpuSpec({
                attack: { type },
                blastRadius,
                steps: Array.from({ length: steps }, (_, i) => ({
                  magnitude: MAGNITUDE[type] === undefined ? undefined : MAGNITUDE[type] + i,
                  durationSeconds: 60,
                })),
              });
              const bodies = chaosBodies(spec, targets, withCheck);
              expect(bodies).toHaveLength(type === 'shutdown' ? 1 : steps);
              for (const chaos of bodies) expect(webhookErrors(chaos)).toEqual([]);
            });
});

describe('the Workflow rules themselves', () => {
  const workflow = (templates: Template[], entry = 'experiment') => ({
    kind: 'Workflow',
    spec: { entry, templates },
  });
  const check = (http: Record<string, unknown>, extra: Record<string, unknown> = {}): Template => ({
    name: 'experiment',
    templateType: 'StatusCheck',
    statusCheck: { mode: 'Continuous', type: 'HTTP', http, ...extra },
  });

  it.each([
    ['a relative URL', check({ url: 'steady-state', criteria: { statusCode: '200' } }), /url/],
    ['a status code of 0', check({ url: 'http://a', criteria: { statusCode: '0' } }), /statusCode/],
    [
      'a status code word',
      check({ url: 'http://a', criteria: { statusCode: 'ok' } }),
      /statusCode/,
    ],
    [
      'an interval of 0',
      check({ url: 'http://a', criteria: { statusCode: '200-299' } }, { intervalSeconds: 0 }),
      /intervalSeconds/,
    ],
    [
      'a header as a string',
      check({ url: 'http://a', headers: { A: 'b' }, criteria: { statusCode: '200' } }),
      /header A/,
    ],
    [
      'no http',
      {
        name: 'experiment',
        templateType: 'StatusCheck',
        statusCheck: { mode: 'Continuous', type: 'HTTP' },
      },
      /http is required/,
    ],
    [
      'a child that does not exist',
      { name: 'experiment', templateType: 'Parallel', children: ['ghost'] },
      /child ghost/,
    ],
  ])('refuse %s', (_name, template, expected) => {
    expect(workflowErrors(workflow([template])).join('; ')).toMatch(expected);
  });

  it('accept a status code range and the export’s own StatusCheck', () => {
    expect(
      workflowErrors(workflow([check({ url: 'http://a', criteria: { statusCode: '200-299' } })])),
    ).toEqual([]);
    expect(chaosBodies(cpuSpec(), undefined, true)).toHaveLength(2);
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
