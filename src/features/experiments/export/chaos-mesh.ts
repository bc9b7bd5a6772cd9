import {
  ATTACK_INFO,
  describeCondition,
  totalDurationSeconds,
  type AttackType,
  type ExperimentSpec,
} from '@/domain';
import { blastRadiusLimit, type ChaosMeshOptions } from './blast-radius-limit';
import { goDuration, kubernetesName } from './names';
import { yamlWithNotes, type YamlNote, type YamlPath } from './yaml-with-notes';

export const CHAOS_MESH_API_VERSION = 'chaos-mesh.org/v1alpha1';

type ChaosKind = 'StressChaos' | 'NetworkChaos' | 'HTTPChaos' | 'PodChaos';
type ChaosMeshKind = ChaosKind | 'Workflow';

const CHAOS_KIND_OF: Record<AttackType, ChaosKind> = {
  cpu: 'StressChaos',
  memory: 'StressChaos',
  latency: 'NetworkChaos',
  'packet-loss': 'NetworkChaos',
  error: 'HTTPChaos',
  'rate-limit': 'HTTPChaos',
  'connection-drop': 'HTTPChaos',
  shutdown: 'PodChaos',
};

/** The resource's plural, as the Kubernetes API names it (chaos-mesh.org/v1alpha1/<plural>). */
const CHAOS_MESH_PLURAL: Record<ChaosMeshKind, string> = {
  StressChaos: 'stresschaos',
  NetworkChaos: 'networkchaos',
  HTTPChaos: 'httpchaos',
  PodChaos: 'podchaos',
  Workflow: 'workflows',
};

/** The field of a Workflow template that embeds a chaos of this kind. */
const EMBED_FIELD: Record<ChaosKind, string> = {
  StressChaos: 'stressChaos',
  NetworkChaos: 'networkChaos',
  HTTPChaos: 'httpChaos',
  PodChaos: 'podChaos',
};

/** The port HTTPChaos proxies when nothing else is known about the service. */
const DEFAULT_HTTP_PORT = 80;

interface ChaosMeshExport {
  kind: ChaosMeshKind;
  plural: string;
  name: string;
  namespace: string;
  /** The object to apply (no comments): what `kubectl apply` or a Kubernetes client receives. */
  manifest: Record<string, unknown>;
  /** Comments before the document: what has no equivalent in Chaos Mesh. */
  header: string[];
  notes: YamlNote[];
}

interface Phase {
  magnitude: number | undefined;
  durationSeconds: number;
}

/** Consecutive steps of the same magnitude run as one phase; a shutdown has a single phase. */
function phasesOf(spec: ExperimentSpec): Phase[] {
  if (spec.attack.type === 'shutdown')
    return [{ magnitude: undefined, durationSeconds: totalDurationSeconds(spec.steps) }];
  const phases: Phase[] = [];
  for (const step of spec.steps) {
    const last = phases[phases.length - 1];
    if (last && last.magnitude === step.magnitude) last.durationSeconds += step.durationSeconds;
    else phases.push({ magnitude: step.magnitude, durationSeconds: step.durationSeconds });
  }
  return phases;
}

type Body = Record<string, unknown>;
interface Part {
  body: Body;
  notes: YamlNote[];
}

const note = (
  path: YamlPath,
  text: string,
  placement: YamlNote['placement'] = 'inline',
): YamlNote => ({ path, text, placement });

/** mode / value / selector: all → all, count → fixed, percent → fixed-percent; known targets by name. */
function selectorPart(spec: ExperimentSpec, options: ChaosMeshOptions): Part {
  const radius = spec.blastRadius;
  const notes: YamlNote[] = [];
  const namespace = spec.environment;
  const targets = options.targets ?? [];
  if (targets.length) {
    // Exactly the instances the experiment hit: pods by name, or every pod of the service on the hosts hit.
    const selector =
      radius.scope === 'containers'
        ? { pods: { [namespace]: [...targets] } }
        : { namespaces: [namespace], labelSelectors: { app: spec.service }, nodes: [...targets] };
    notes.push(note(['selector'], 'the instances the experiment hit in Faultline', 'before'));
    return { body: { mode: 'all', selector }, notes };
  }
  const labelSelectors: Record<string, string> = { app: spec.service, ...radius.selector };
  if (radius.source.kind === 'canary') {
    labelSelectors.version = 'canary';
    notes.push(note(['selector', 'labelSelectors', 'version'], "the canary's instances"));
  }
  const body: Body = { mode: 'all' };
  if (radius.mode !== 'all')
    notes.push(
      note(['mode'], 'Chaos Mesh picks these pods at random; Faultline spreads them over zones'),
    );
  const percent = radius.value ?? 100;
  if (radius.source.kind === 'flag' || (radius.mode === 'percent' && percent < 1)) {
    // Nothing narrower than one pod can be said without the pods' names: never the whole service.
    body.mode = 'fixed';
    body.value = '1';
    notes.push(note(['value'], 'one pod: Chaos Mesh cannot express the blast radius itself'));
  } else if (radius.mode === 'count') {
    body.mode = 'fixed';
    body.value = String(radius.value ?? 1);
  } else if (radius.mode === 'percent') {
    body.mode = 'fixed-percent';
    // Chaos Mesh reads a whole percentage (1–100); rounding down never widens the blast radius.
    body.value = String(Math.floor(percent));
    if (!Number.isInteger(percent))
      notes.push(note(['value'], `${percent} % in Faultline; Chaos Mesh takes whole percentages`));
  }
  body.selector = { namespaces: [namespace], labelSelectors };
  return { body, notes };
}

/** The attack's own fields: stressors, a network action, an HTTP rule or a pod action. */
function actionPart(type: AttackType, magnitude: number | undefined): Part {
  const value = magnitude ?? 0;
  switch (type) {
    case 'cpu': {
      const load = Math.round(value);
      const notes = [
        note(
          ['stressors', 'cpu', 'workers'],
          "one worker per CPU: set it to the container's CPU count",
        ),
      ];
      notes.push(
        note(
          ['stressors', 'cpu', 'load'],
          load === value ? '% load per worker' : `% load per worker (${value} % in Faultline)`,
        ),
      );
      return { body: { stressors: { cpu: { workers: 1, load } } }, notes };
    }
    case 'memory': {
      // The admission webhook reads a percentage size as a whole number (1–100); rounding down
      // never takes more memory than the experiment did.
      const percent = Math.min(100, Math.max(1, Math.floor(value)));
      return {
        body: { stressors: { memory: { workers: 1, size: `${percent}%` } } },
        notes: [
          note(
            ['stressors', 'memory', 'size'],
            percent === value
              ? "of the container's available memory"
              : `of the container's available memory (${value} % in Faultline)`,
          ),
        ],
      };
    }
    case 'latency':
      return {
        body: { action: 'delay', direction: 'to', delay: { latency: `${value}ms` } },
        notes: [],
      };
    case 'packet-loss':
      return {
        body: { action: 'loss', direction: 'to', loss: { loss: String(value) } },
        notes: [],
      };
    case 'error':
      return {
        body: { target: 'Response', port: DEFAULT_HTTP_PORT, replace: { code: 500 } },
        notes: [
          note(['port'], "the container port HTTPChaos proxies: set the service's HTTP port"),
          note(
            ['replace'],
            `Faultline answers ${value} % of requests with 500. HTTPChaos has no per-request share:\n` +
              'every response on the port gets 500 while it runs.',
            'before',
          ),
        ],
      };
    case 'rate-limit':
      return {
        body: {
          target: 'Response',
          port: DEFAULT_HTTP_PORT,
          replace: { code: 429, headers: { 'Retry-After': '1' } },
        },
        notes: [
          note(['port'], "the container port HTTPChaos proxies: set the service's HTTP port"),
          note(
            ['replace'],
            `Faultline answers ${value} % of requests with 429. HTTPChaos has no per-request share:\n` +
              'every response on the port gets 429 while it runs.',
            'before',
          ),
        ],
      };
    case 'connection-drop':
      return {
        body: { target: 'Request', port: DEFAULT_HTTP_PORT, abort: true },
        notes: [
          note(['port'], "the container port HTTPChaos proxies: set the service's HTTP port"),
          note(
            ['abort'],
            `Faultline cuts the connection of ${value} % of requests. HTTPChaos has no per-request\n` +
              'share: every request on the port is aborted while it runs.',
            'before',
          ),
        ],
      };
    case 'shutdown':
      return {
        body: { action: 'pod-failure' },
        notes: [
          note(
            ['action'],
            'Instance shutdown has no magnitude. pod-failure keeps the selected pods unavailable for the\n' +
              'duration; pod-kill would only restart them at once.',
            'before',
          ),
        ],
      };
  }
}

function prefix(notes: readonly YamlNote[], path: YamlPath): YamlNote[] {
  return notes.map((n) => ({ ...n, path: [...path, ...n.path] }));
}

/** One chaos spec: selector, action and duration, with notes relative to the spec. */
function chaosSpec(spec: ExperimentSpec, phase: Phase, options: ChaosMeshOptions): Part {
  const selector = selectorPart(spec, options);
  const action = actionPart(spec.attack.type, phase.magnitude);
  return {
    body: { ...selector.body, ...action.body, duration: goDuration(phase.durationSeconds) },
    notes: [...selector.notes, ...action.notes],
  };
}

/** Where the StatusCheck asks Faultline, and with which placeholder for a token. */
const TOKEN_PLACEHOLDER = 'FAULTLINE_TOKEN';

function steadyStateUrl(check: NonNullable<ChaosMeshOptions['abortCheck']>): string {
  const base = check.faultlineUrl.replace(/\/+$/, '');
  return `${base}/api/v1/experiments/${encodeURIComponent(check.experimentId)}/steady-state`;
}

function headerOf(
  spec: ExperimentSpec,
  phases: readonly Phase[],
  options: ChaosMeshOptions,
): string[] {
  const lines = [
    `Faultline experiment "${spec.name}" (${ATTACK_INFO[spec.attack.type].label}, ${spec.service} in ${spec.environment}).`,
  ];
  lines.push(`Hypothesis: ${spec.hypothesis.replace(/\s+/g, ' ')}`);
  const conditions = spec.abortConditions.map((c) => `  - ${describeCondition(c)}`);
  if (options.abortCheck && conditions.length > 0) {
    lines.push(
      '',
      'Abort conditions run as a StatusCheck beside the chaos: every second the cluster asks',
      `Faultline (${steadyStateUrl(options.abortCheck)})`,
      'whether one of these holds, and the first answer other than 200 aborts the Workflow:',
      ...conditions,
      `Replace ${TOKEN_PLACEHOLDER} with a Faultline token that may read (a viewer's is enough).`,
    );
  } else if (conditions.length > 0) {
    lines.push(
      '',
      'Abort conditions have no Chaos Mesh equivalent here: nothing below stops the chaos early.',
      'Faultline aborts and removes every injection when one holds:',
      ...conditions,
      'Export it from the saved experiment to get a StatusCheck that aborts when Faultline would.',
    );
  }
  if (phases.length > 1) {
    lines.push(
      '',
      `The ramp of ${phases.length} steps runs as a Workflow: a Serial node with one chaos per step.`,
    );
  }
  if (spec.blastRadius.scope === 'hosts') {
    lines.push(
      '',
      'The blast radius counts hosts in Faultline; Chaos Mesh selects pods, so mode and value count pods.',
    );
  }
  const limit = blastRadiusLimit(spec, options);
  if (limit) lines.push('', limit);
  return lines;
}

/**
 * A Continuous HTTP StatusCheck on Faultline's steady-state probe for the whole run: it fails
 * on the first answer that is not 200 (a condition holds, or the metrics cannot be read: fail
 * safe) and aborts the Workflow.
 */
const STATUS_CHECK_NAME = 'abort-conditions';

function statusCheckTemplate(
  check: NonNullable<ChaosMeshOptions['abortCheck']>,
  totalSeconds: number,
) {
  return {
    name: STATUS_CHECK_NAME,
    templateType: 'StatusCheck',
    deadline: goDuration(totalSeconds),
    abortWithStatusCheck: true,
    statusCheck: {
      mode: 'Continuous',
      type: 'HTTP',
      intervalSeconds: 1,
      timeoutSeconds: 1,
      failureThreshold: 1,
      http: {
        url: steadyStateUrl(check),
        method: 'GET',
        headers: { Authorization: [`Bearer ${TOKEN_PLACEHOLDER}`] },
        criteria: { statusCode: '200' },
      },
    },
  };
}

export function chaosMeshExport(
  spec: ExperimentSpec,
  options: ChaosMeshOptions = {},
): ChaosMeshExport {
  const name = kubernetesName(spec.name);
  const namespace = spec.environment;
  const phases = phasesOf(spec);
  const header = headerOf(spec, phases, options);
  const metadata = { name, namespace };
  const chaosKind = CHAOS_KIND_OF[spec.attack.type];
  const [single] = phases;
  const abortCheck = spec.abortConditions.length > 0 ? options.abortCheck : undefined;

  if (phases.length === 1 && single && !abortCheck) {
    const part = chaosSpec(spec, single, options);
    const manifest = {
      apiVersion: CHAOS_MESH_API_VERSION,
      kind: chaosKind,
      metadata,
      spec: part.body,
    };
    return {
      kind: chaosKind,
      plural: CHAOS_MESH_PLURAL[chaosKind],
      name,
      namespace,
      manifest,
      header,
      notes: prefix(part.notes, ['spec']),
    };
  }

  // A Workflow: the steps (one, or a Serial ramp of them), in Parallel with a StatusCheck when
  // there is one.
  const templates: Record<string, unknown>[] = [];
  const notes: YamlNote[] = [];
  const add = (template: Record<string, unknown>): number => templates.push(template) - 1;
  const totalSeconds = totalDurationSeconds(spec.steps);
  const stepNames = phases.map((_, index) => `step-${index + 1}`);
  const chaos = phases.length > 1 ? 'ramp' : (stepNames[0] ?? 'step-1');
  if (abortCheck)
    add({
      name: 'experiment',
      templateType: 'Parallel',
      deadline: goDuration(totalSeconds),
      children: [chaos, STATUS_CHECK_NAME],
    });
  if (phases.length > 1)
    add({
      name: 'ramp',
      templateType: 'Serial',
      deadline: goDuration(totalSeconds),
      children: stepNames,
    });
  phases.forEach((phase, index) => {
    const part = chaosSpec(spec, phase, options);
    const { duration, ...embedded } = part.body;
    const path = [
      'spec',
      'templates',
      add({
        name: `step-${index + 1}`,
        templateType: chaosKind,
        deadline: duration,
        [EMBED_FIELD[chaosKind]]: embedded,
      }),
    ];
    const magnitude = ATTACK_INFO[spec.attack.type].magnitude;
    const label = magnitude
      ? `${phase.magnitude} ${magnitude.unit}`
      : ATTACK_INFO[spec.attack.type].label;
    notes.push(
      note(path, `step ${index + 1}: ${label} for ${goDuration(phase.durationSeconds)}`, 'before'),
    );
    notes.push(...prefix(part.notes, [...path, EMBED_FIELD[chaosKind]]));
  });
  if (abortCheck) {
    const at = add(statusCheckTemplate(abortCheck, totalSeconds));
    notes.push(
      note(
        ['spec', 'templates', at, 'statusCheck', 'http', 'headers'],
        `replace ${TOKEN_PLACEHOLDER} with a Faultline token that may read`,
        'before',
      ),
    );
  }
  const manifest = {
    apiVersion: CHAOS_MESH_API_VERSION,
    kind: 'Workflow',
    metadata,
    spec: { entry: abortCheck ? 'experiment' : chaos, templates },
  };
  return {
    kind: 'Workflow',
    plural: CHAOS_MESH_PLURAL.Workflow,
    name,
    namespace,
    manifest,
    header,
    notes,
  };
}

/** The Chaos Mesh manifest as YAML, with a comment wherever Faultline's design has no equivalent. */
export function chaosMeshYaml(spec: ExperimentSpec, options: ChaosMeshOptions = {}): string {
  const exported = chaosMeshExport(spec, options);
  return yamlWithNotes(exported.manifest, exported.header, exported.notes);
}
