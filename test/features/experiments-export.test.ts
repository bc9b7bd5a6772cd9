import { parseAllDocuments, parse as parseYaml, stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ATTACK_TYPES,
  ENVIRONMENTS,
  TEMPLATE_IDS,
  buildFromTemplate,
  experimentSpecSchema,
  type AbortCondition,
  type AttackType,
  type BlastRadius,
  type ExperimentSpec,
} from '../../src/domain';
import { chaosMeshExport, chaosMeshYaml } from '../../src/features/experiments/export/chaos-mesh';
import {
  chaosToolkitExperiment,
  promQuery,
} from '../../src/features/experiments/export/chaos-toolkit';
import {
  FAULTLINE_FORMAT,
  describeProblem,
  parseExperimentFile,
  toFaultlineJson,
} from '../../src/features/experiments/export/faultline-json';
import { goDuration, kubernetesName } from '../../src/features/experiments/export/names';
import { cpuSpec } from '../domain/fixtures';

type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  spec: Record<string, unknown> & {
    selector?: { namespaces: string[]; labelSelectors: Record<string, string> };
  };
};

/** The PromQL selector of the sample experiment's target group. */
const TARGET_SELECTOR =
  'service="checkout",environment="staging",group="target",' +
  'experiment_id="${faultline_experiment_id}"';

const MAGNITUDES: Record<AttackType, (number | undefined)[]> = {
  cpu: [50, 60],
  memory: [40, 70],
  latency: [200, 500],
  error: [5, 20],
  'rate-limit': [10, 50],
  'connection-drop': [5, 15],
  'packet-loss': [10, 30],
  shutdown: [undefined, undefined],
};

function specFor(
  type: AttackType,
  steps: 1 | 2,
  overrides: Partial<ExperimentSpec> = {},
): ExperimentSpec {
  return cpuSpec({
    attack: { type },
    steps: MAGNITUDES[type]
      .slice(0, steps)
      .map((magnitude) => ({ magnitude, durationSeconds: 120 })),
    ...overrides,
  });
}

function onlyDocument(yamlText: string): Manifest {
  const docs = parseAllDocuments(yamlText);
  expect(docs).toHaveLength(1);
  const [doc] = docs;
  expect(doc?.errors).toEqual([]);
  return doc?.toJS() as Manifest;
}

describe('Faultline JSON', () => {
  it('round-trips the sample experiment to an identical spec', () => {
    const spec = cpuSpec();
    const result = parseExperimentFile(toFaultlineJson(spec));
    expect(result).toEqual({ ok: true, spec });
  });

  it.each(
    TEMPLATE_IDS.flatMap((id) => ENVIRONMENTS.map((environment) => [id, environment] as const)),
  )('round-trips the %s template in %s', (id, environment) => {
    const spec = buildFromTemplate(id, { service: 'payments', environment });
    expect(parseExperimentFile(toFaultlineJson(spec))).toEqual({ ok: true, spec });
  });

  it.each(ATTACK_TYPES)('round-trips a two-step %s experiment', (type) => {
    const spec = specFor(type, 2);
    expect(parseExperimentFile(toFaultlineJson(spec))).toEqual({ ok: true, spec });
  });

  it('round-trips an inherited blast radius and every condition form', () => {
    const spec = cpuSpec({
      blastRadius: {
        scope: 'hosts',
        selector: { zone: 'b' },
        mode: 'count',
        value: 2,
        source: { kind: 'flag', flagKey: 'new-cart' },
      },
      notes: 'Run after 14:00.\nPage #checkout first.',
      abortConditions: (['>', '>=', '<', '<='] as const).map((comparator): AbortCondition => ({
        kind: 'threshold',
        metric: 'latency_p99',
        comparator,
        threshold: 250.5,
        windowSeconds: 0,
        scope: 'service',
      })),
    });
    expect(parseExperimentFile(toFaultlineJson(spec))).toEqual({ ok: true, spec });
  });

  it('writes the versioned envelope', () => {
    const file = JSON.parse(toFaultlineJson(cpuSpec())) as {
      faultline: string;
      experiment: unknown;
    };
    expect(file.faultline).toBe(FAULTLINE_FORMAT);
    expect(file.experiment).toEqual(cpuSpec());
  });

  it('imports the same envelope written as YAML', () => {
    const spec = cpuSpec();
    expect(parseExperimentFile(toYaml({ faultline: FAULTLINE_FORMAT, experiment: spec }))).toEqual({
      ok: true,
      spec,
    });
  });
});

describe('importing a bad file', () => {
  it('names the line and column of a JSON syntax error', () => {
    const text = toFaultlineJson(cpuSpec()).replace(
      '"service": "checkout",',
      '"service": "checkout"',
    );
    const result = parseExperimentFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [problem] = result.problems;
    const expectedLine = text.split('\n').findIndex((line) => line.includes('"blastRadius"')) + 1;
    expect(problem?.message).toMatch(/^not valid JSON/);
    expect(problem?.line).toBe(expectedLine);
    expect(problem?.column).toBeGreaterThan(1);
  });

  it('names the line of a YAML syntax error', () => {
    const text = [
      'faultline: experiment/v1',
      'experiment:',
      '  name: "unclosed',
      '  service: checkout',
    ].join('\n');
    const result = parseExperimentFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems[0]?.message).toMatch(/^not valid YAML/);
      expect(result.problems[0]?.line).toBeGreaterThanOrEqual(3);
    }
  });

  it('names the field and its line when a magnitude is out of range', () => {
    const spec = cpuSpec();
    const text = toFaultlineJson(spec).replace('"magnitude": 60', '"magnitude": 160');
    const result = parseExperimentFile(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'experiment.steps.1.magnitude',
        message: 'magnitude must be between 1 and 100 %',
        line: text.split('\n').findIndex((line) => line.includes('"magnitude": 160')) + 1,
      },
    ]);
    expect(describeProblem(result.problems[0]!)).toMatch(
      /^experiment\.steps\.1\.magnitude \(line \d+\): magnitude must be between 1 and 100 %$/,
    );
  });

  it('says which field is missing', () => {
    const { hypothesis: _dropped, ...rest } = cpuSpec();
    const result = parseExperimentFile(
      JSON.stringify({ faultline: FAULTLINE_FORMAT, experiment: rest }),
    );
    expect(result).toMatchObject({
      ok: false,
      problems: [{ path: 'experiment.hypothesis', message: '"hypothesis" is missing' }],
    });
  });

  it('rejects another format or version by its "faultline" field', () => {
    const result = parseExperimentFile(
      JSON.stringify({ faultline: 'experiment/v2', experiment: cpuSpec() }),
    );
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'faultline', line: 1 }] });
  });

  it('rejects a bare spec without the envelope', () => {
    const result = parseExperimentFile(JSON.stringify(cpuSpec()));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain('faultline');
  });

  it('rejects an empty file', () => {
    expect(parseExperimentFile('  \n')).toEqual({
      ok: false,
      problems: [{ message: 'the file is empty' }],
    });
  });
});

describe('Chaos Mesh manifests', () => {
  const kinds: Record<AttackType, string> = {
    cpu: 'StressChaos',
    memory: 'StressChaos',
    latency: 'NetworkChaos',
    'packet-loss': 'NetworkChaos',
    error: 'HTTPChaos',
    'rate-limit': 'HTTPChaos',
    'connection-drop': 'HTTPChaos',
    shutdown: 'PodChaos',
  };

  it.each(ATTACK_TYPES)(
    'a one-step %s experiment is one manifest of its kind with the fields its CRD requires',
    (type) => {
      const spec = specFor(type, 1);
      const manifest = onlyDocument(chaosMeshYaml(spec));
      expect(manifest.apiVersion).toBe('chaos-mesh.org/v1alpha1');
      expect(manifest.kind).toBe(kinds[type]);
      expect(manifest.metadata).toEqual({ name: 'cpu-pressure-on-checkout', namespace: 'staging' });
      expect(manifest.spec.selector).toEqual({
        namespaces: ['staging'],
        labelSelectors: { app: 'checkout' },
      });
      expect(manifest.spec.mode).toBe('fixed-percent');
      expect(manifest.spec.value).toBe('25');
      expect(manifest.spec.duration).toBe('2m');
    },
  );

  it.each<[AttackType, Record<string, unknown>]>([
    ['cpu', { stressors: { cpu: { workers: 1, load: 50 } } }],
    ['memory', { stressors: { memory: { workers: 1, size: '40%' } } }],
    ['latency', { action: 'delay', delay: { latency: '200ms' } }],
    ['packet-loss', { action: 'loss', loss: { loss: '10' } }],
    ['error', { target: 'Response', replace: { code: 500 } }],
    ['rate-limit', { target: 'Response', replace: { code: 429, headers: { 'Retry-After': '1' } } }],
    ['connection-drop', { target: 'Request', abort: true }],
    ['shutdown', { action: 'pod-failure' }],
  ])('a %s attack carries its stressors or action', (type, expected) => {
    expect(onlyDocument(chaosMeshYaml(specFor(type, 1))).spec).toMatchObject(expected);
  });

  it.each<[BlastRadius['mode'], number | undefined, string, string | undefined]>([
    ['all', undefined, 'all', undefined],
    ['count', 3, 'fixed', '3'],
    ['percent', 25, 'fixed-percent', '25'],
    ['percent', 12.5, 'fixed-percent', '12'],
  ])('maps mode %s (value %s) to %s with value %s', (mode, value, expectedMode, expectedValue) => {
    const spec = specFor('cpu', 1, {
      blastRadius: { scope: 'containers', selector: {}, mode, value, source: { kind: 'selector' } },
    });
    const manifest = onlyDocument(chaosMeshYaml(spec));
    expect(manifest.spec.mode).toBe(expectedMode);
    expect(manifest.spec.value).toBe(expectedValue);
  });

  it('comments a fractional percentage that Chaos Mesh cannot take', () => {
    const spec = specFor('cpu', 1, {
      blastRadius: {
        scope: 'containers',
        selector: {},
        mode: 'percent',
        value: 12.5,
        source: { kind: 'selector' },
      },
    });
    expect(chaosMeshYaml(spec)).toMatch(/value: "12" # 12\.5 % in Faultline/);
  });

  it('adds the selector labels and the canary label to the app label', () => {
    const spec = specFor('cpu', 1, {
      blastRadius: {
        scope: 'containers',
        selector: { zone: 'a' },
        mode: 'all',
        source: { kind: 'canary' },
      },
    });
    const manifest = onlyDocument(chaosMeshYaml(spec));
    expect(manifest.spec.selector?.labelSelectors).toEqual({
      app: 'checkout',
      zone: 'a',
      version: 'canary',
    });
  });

  it('writes the abort conditions as comments, since Chaos Mesh has no equivalent', () => {
    const text = chaosMeshYaml(cpuSpec());
    expect(text).toMatch(/^# .*Abort conditions have no Chaos Mesh equivalent/m);
    expect(text).toContain('#   - 5xx rate > 1 % for 10 s');
    expect(text).toContain('#   - error rate rises by more than 2 percentage points within 30 s');
  });

  it('comments what has no equivalent: the shutdown magnitude and the per-request error share', () => {
    expect(chaosMeshYaml(specFor('shutdown', 1))).toMatch(/# Instance shutdown has no magnitude/);
    expect(chaosMeshYaml(specFor('error', 1))).toMatch(
      /# Faultline answers 5 % of requests with 500/,
    );
  });

  it('turns a ramp into a Workflow whose Serial entry runs one chaos per step', () => {
    const spec = cpuSpec();
    const manifest = onlyDocument(chaosMeshYaml(spec)) as unknown as {
      kind: string;
      spec: { entry: string; templates: Record<string, unknown>[] };
    };
    expect(manifest.kind).toBe('Workflow');
    const [entry, first, second] = manifest.spec.templates;
    expect(entry).toEqual({
      name: manifest.spec.entry,
      templateType: 'Serial',
      deadline: '4m',
      children: ['step-1', 'step-2'],
    });
    expect(first).toMatchObject({ name: 'step-1', templateType: 'StressChaos', deadline: '2m' });
    expect(first?.stressChaos).toMatchObject({
      mode: 'fixed-percent',
      value: '25',
      selector: { namespaces: ['staging'], labelSelectors: { app: 'checkout' } },
      stressors: { cpu: { workers: 1, load: 50 } },
    });
    expect(second?.stressChaos).toMatchObject({ stressors: { cpu: { load: 60 } } });
  });

  const abortCheck = { faultlineUrl: 'https://faultline.example/', experimentId: 'exp-42' };
  type Workflow = { kind: string; spec: { entry: string; templates: Record<string, unknown>[] } };

  it('runs a saved experiment’s abort conditions as a StatusCheck beside the ramp, asking Faultline', () => {
    const text = chaosMeshYaml(cpuSpec(), { abortCheck });
    const manifest = onlyDocument(text) as unknown as Workflow;
    expect(manifest.kind).toBe('Workflow');
    const byName = new Map(manifest.spec.templates.map((t) => [t.name, t]));
    expect(byName.get(manifest.spec.entry)).toEqual({
      name: 'experiment',
      templateType: 'Parallel',
      deadline: '4m',
      children: ['ramp', 'abort-conditions'],
    });
    expect(byName.get('ramp')).toMatchObject({ children: ['step-1', 'step-2'] });
    expect(byName.get('abort-conditions')).toEqual({
      name: 'abort-conditions',
      templateType: 'StatusCheck',
      deadline: '4m',
      abortWithStatusCheck: true,
      statusCheck: {
        mode: 'Continuous',
        type: 'HTTP',
        intervalSeconds: 1,
        timeoutSeconds: 1,
        failureThreshold: 1,
        http: {
          url: 'https://faultline.example/api/v1/experiments/exp-42/steady-state',
          method: 'GET',
          headers: { Authorization: ['Bearer FAULTLINE_TOKEN'] },
          criteria: { statusCode: '200' },
        },
      },
    });
    expect(text).toMatch(/^# Abort conditions run as a StatusCheck beside the chaos/m);
    expect(text).toContain('#   - 5xx rate > 1 % for 10 s');
    expect(text).toMatch(
      /# replace FAULTLINE_TOKEN with a Faultline token that may read\n\s+headers:/,
    );
    expect(text).not.toMatch(/no Chaos Mesh equivalent/);
  });

  it('turns a one-step experiment into a Workflow when it has a StatusCheck, and keeps it bare without', () => {
    const spec = specFor('latency', 1);
    const manifest = onlyDocument(chaosMeshYaml(spec, { abortCheck })) as unknown as Workflow;
    expect(manifest.kind).toBe('Workflow');
    expect(manifest.spec.templates.map((t) => [t.name, t.templateType])).toEqual([
      ['experiment', 'Parallel'],
      ['step-1', 'NetworkChaos'],
      ['abort-conditions', 'StatusCheck'],
    ]);
    expect(manifest.spec.templates[0]).toMatchObject({ children: ['step-1', 'abort-conditions'] });
    expect(onlyDocument(chaosMeshYaml(spec)).kind).toBe('NetworkChaos');
    expect(chaosMeshYaml(spec)).toMatch(
      /# Export it from the saved experiment to get a StatusCheck/,
    );
  });

  it('adds no StatusCheck to an experiment without abort conditions, nor to the Chaos Toolkit copy', () => {
    const none = onlyDocument(
      chaosMeshYaml(specFor('cpu', 1, { abortConditions: [] }), { abortCheck }),
    );
    expect(none.kind).toBe('StressChaos');
    const toolkit = chaosToolkitExperiment(cpuSpec(), { experimentId: 'exp-42', abortCheck });
    expect(JSON.stringify(toolkit)).not.toContain('StatusCheck');
  });

  it.each(ATTACK_TYPES.filter((t) => t !== 'shutdown'))(
    'a two-step %s ramp embeds its kind in each Workflow step',
    (type) => {
      const exported = chaosMeshExport(specFor(type, 2));
      const expectedField = {
        StressChaos: 'stressChaos',
        NetworkChaos: 'networkChaos',
        HTTPChaos: 'httpChaos',
      }[kinds[type]];
      const templates = (exported.manifest.spec as { templates: Record<string, unknown>[] })
        .templates;
      expect(templates.slice(1).map((t) => Object.keys(t))).toEqual([
        ['name', 'templateType', 'deadline', expectedField],
        ['name', 'templateType', 'deadline', expectedField],
      ]);
    },
  );

  it('merges steps of the same magnitude, and a shutdown’s steps, into one manifest', () => {
    const same = cpuSpec({
      steps: [
        { magnitude: 50, durationSeconds: 60 },
        { magnitude: 50, durationSeconds: 30 },
      ],
    });
    expect(onlyDocument(chaosMeshYaml(same))).toMatchObject({
      kind: 'StressChaos',
      spec: { duration: '1m30s' },
    });
    const shutdown = specFor('shutdown', 2);
    expect(onlyDocument(chaosMeshYaml(shutdown))).toMatchObject({
      kind: 'PodChaos',
      spec: { duration: '4m' },
    });
  });

  it('every exported manifest passes back through the YAML parser unchanged', () => {
    for (const id of TEMPLATE_IDS) {
      const exported = chaosMeshExport(
        buildFromTemplate(id, { service: 'checkout', environment: 'production' }),
      );
      expect(
        parseYaml(
          chaosMeshYaml(buildFromTemplate(id, { service: 'checkout', environment: 'production' })),
        ),
      ).toEqual(exported.manifest);
    }
  });
});

describe('names and durations', () => {
  it.each([
    ['CPU pressure on checkout', 'cpu-pressure-on-checkout'],
    ['  Über latency → payments!! ', 'uber-latency-payments'],
    ['***', 'faultline-experiment'],
    ['x'.repeat(70), 'x'.repeat(63)],
  ])('names "%s" as %s', (name, expected) => {
    expect(kubernetesName(name)).toBe(expected);
  });

  it.each([
    [240, '4m'],
    [90, '1m30s'],
    [3600, '1h'],
    [3725, '1h2m5s'],
    [5, '5s'],
  ])('writes %d s as the Go duration %s', (seconds, expected) => {
    expect(goDuration(seconds)).toBe(expected);
  });
});

describe('Chaos Toolkit experiments', () => {
  it('carries the title, the hypothesis as description, a method and a rollback', () => {
    const spec = cpuSpec();
    const experiment = chaosToolkitExperiment(spec) as {
      title: string;
      description: string;
      method: {
        type: string;
        provider: { func: string; arguments: { plural: string; ns: string; resource: unknown } };
        pauses: { after: number };
      }[];
      rollbacks: { provider: { func: string; arguments: { name: string } } }[];
    };
    expect(experiment.title).toBe(spec.name);
    expect(experiment.description).toBe(spec.hypothesis);
    expect(experiment.method).toHaveLength(1);
    expect(experiment.method[0]).toMatchObject({
      type: 'action',
      provider: { func: 'create_custom_object', arguments: { plural: 'workflows', ns: 'staging' } },
      pauses: { after: 240 },
    });
    expect(experiment.method[0]?.provider.arguments.resource).toEqual(
      chaosMeshExport(spec).manifest,
    );
    expect(experiment.rollbacks[0]?.provider).toMatchObject({
      func: 'delete_custom_object',
      arguments: { name: 'cpu-pressure-on-checkout' },
    });
  });

  it('has one steady-state HTTP probe per abort condition, steady while Prometheus answers 0', () => {
    const experiment = chaosToolkitExperiment(cpuSpec(), { experimentId: 'exp-7' }) as {
      configuration: Record<string, unknown>;
      'steady-state-hypothesis': {
        title: string;
        probes: {
          type: string;
          tolerance: unknown;
          provider: { type: string; url: string; arguments: { query: string } };
        }[];
      };
    };
    const { probes, title } = experiment['steady-state-hypothesis'];
    expect(title).toBeTruthy();
    expect(probes.map((p) => [p.type, p.tolerance])).toEqual([
      [
        'probe',
        { type: 'jsonpath', target: 'body', path: '$.data.result[0].value[1]', expect: '0' },
      ],
      [
        'probe',
        { type: 'jsonpath', target: 'body', path: '$.data.result[0].value[1]', expect: '0' },
      ],
    ]);
    expect(probes[0]?.provider).toMatchObject({
      type: 'http',
      url: '${prometheus_base_url}/api/v1/query',
    });
    // The 10 s window is widened to two of Prometheus's default 60 s scrapes.
    expect(probes[0]?.provider.arguments.query).toBe(
      'max(min_over_time(faultline_http_5xx_rate_percent{' + TARGET_SELECTOR + '}[120s])) > bool 1',
    );
    expect(experiment.configuration.faultline_experiment_id).toEqual({
      type: 'env',
      key: 'FAULTLINE_EXPERIMENT_ID',
      default: 'exp-7',
    });
  });

  const condition = (comparator: '>' | '>=' | '<' | '<=', windowSeconds = 30): AbortCondition => ({
    kind: 'threshold',
    metric: 'request_rate',
    comparator,
    threshold: 5,
    windowSeconds,
    scope: 'service',
  });
  const whole =
    'faultline_request_rate_per_second{service="checkout",environment="staging",group="all",cohort=""}';

  it.each<[string, AbortCondition, string]>([
    ['above', condition('>'), `max(min_over_time(${whole}[30s])) > bool 5`],
    ['at least', condition('>='), `max(min_over_time(${whole}[30s])) >= bool 5`],
    ['below', condition('<'), `max(max_over_time(${whole}[30s])) < bool 5`],
    ['at most', condition('<='), `max(max_over_time(${whole}[30s])) <= bool 5`],
    ['no window', condition('>', 0), `max(${whole}) > bool 5`],
    [
      'a window shorter than two scrapes',
      condition('>', 10),
      `max(min_over_time(${whole}[30s])) > bool 5`,
    ],
    [
      'rising',
      { kind: 'rising', metric: 'request_rate', delta: 3, windowSeconds: 20, scope: 'service' },
      `max(${whole} - ${whole} offset 30s) > bool 3`,
    ],
    [
      'latency, held in seconds by Prometheus',
      {
        kind: 'threshold',
        metric: 'latency_p99',
        comparator: '>',
        threshold: 800,
        windowSeconds: 10,
        scope: 'target',
      },
      'max(min_over_time(faultline_latency_p99_seconds{' + TARGET_SELECTOR + '}[30s])) > bool 0.8',
    ],
  ])(
    'a condition "%s" asks Prometheus whether it holds, on the right series',
    (_case, c, query) => {
      expect(promQuery(c, 'checkout', 'staging', 15)).toBe(query);
    },
  );

  it('every template exports a spec-valid experiment with probes for all its conditions', () => {
    for (const id of TEMPLATE_IDS) {
      const spec = buildFromTemplate(id, { service: 'search', environment: 'testing' });
      expect(experimentSpecSchema.safeParse(spec).success).toBe(true);
      const experiment = chaosToolkitExperiment(spec) as {
        'steady-state-hypothesis': { probes: unknown[] };
      };
      expect(experiment['steady-state-hypothesis'].probes).toHaveLength(
        spec.abortConditions.length,
      );
    }
  });
});
