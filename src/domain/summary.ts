import type { AbortCondition, Comparator } from './abort-conditions';
import { ATTACK_INFO, type AttackType } from './attacks';
import type { BlastRadius, ResolvedBlastRadius } from './blast-radius';
import type { ExperimentSpec } from './experiment';
import { METRIC_INFO } from './metrics';
import { formatDuration, totalDurationSeconds } from './ramp';

/** How a comparator reads inside a sentence: "the 5xx rate is above 1 %". */
export const COMPARATOR_WORDS: Record<Comparator, string> = {
  '>': 'above',
  '>=': 'at least',
  '<': 'below',
  '<=': 'at most',
};

const UNIT_WORDS: Record<string, [singular: string, plural: string]> = {
  h: ['hour', 'hours'],
  min: ['minute', 'minutes'],
  s: ['second', 'seconds'],
};

/** "4 minutes", "1 hour 30 minutes", "45 seconds": formatDuration spelled out for a sentence. */
export function durationInWords(seconds: number): string {
  return formatDuration(seconds)
    .split(' ')
    .reduce<string[]>((words, token, index, tokens) => {
      if (index % 2 === 1) return words;
      const unit = UNIT_WORDS[tokens[index + 1] ?? ''];
      const count = Number(token);
      words.push(unit ? `${token} ${count === 1 ? unit[0] : unit[1]}` : token);
      return words;
    }, [])
    .join(' ');
}

/** "a", "a or b", "a, b or c". */
function joinWithOr(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function withUnit(value: number, unit: string): string {
  return `${value} ${unit}`;
}

/** "the 5xx rate is above 1 % for 10 s", "the error rate keeps rising". */
export function conditionInWords(condition: AbortCondition): string {
  const info = METRIC_INFO[condition.metric];
  const subject =
    condition.scope === 'service' ? `the ${info.noun} of the whole service` : `the ${info.noun}`;
  if (condition.kind === 'rising') return `${subject} keeps rising`;
  const window =
    condition.windowSeconds > 0 ? ` for ${formatDuration(condition.windowSeconds)}` : '';
  return `${subject} is ${COMPARATOR_WORDS[condition.comparator]} ${withUnit(condition.threshold, info.unit)}${window}`;
}

/** The magnitudes in ramp order, without repeating a step that keeps the previous one. */
function distinctMagnitudes(steps: ExperimentSpec['steps']): number[] {
  const magnitudes: number[] = [];
  for (const step of steps) {
    if (step.magnitude !== undefined && magnitudes[magnitudes.length - 1] !== step.magnitude) {
      magnitudes.push(step.magnitude);
    }
  }
  return magnitudes;
}

/** "Inject 50 % CPU, then 60 %", "Answer 5 % of requests with 500, then 10 %", "Shut down". */
export function attackInWords(type: AttackType, steps: ExperimentSpec['steps']): string {
  const info = ATTACK_INFO[type].magnitude;
  if (!info) return 'Shut down';
  const [first, ...rest] = distinctMagnitudes(steps).map((m) => withUnit(m, info.unit));
  const then = rest.map((m) => `, then ${m}`).join('');
  if (first === undefined) return `Inject ${info.describe}`;
  if (type === 'error') return `Answer ${first} of requests with 500${then}`;
  if (type === 'rate-limit') return `Answer ${first} of requests with 429${then}`;
  if (type === 'connection-drop') return `Cut the connection of ${first} of requests${then}`;
  return `Inject ${first} ${info.describe}${then}`;
}

function selectorInWords(selector: BlastRadius['selector']): string {
  const pairs = Object.entries(selector).map(([key, value]) => `${key}=${value}`);
  return pairs.length ? ` matching ${pairs.join(', ')}` : '';
}

function sourceInWords(source: BlastRadius['source']): string {
  if (source.kind === 'flag') return ` serving flag ${source.flagKey}`;
  if (source.kind === 'canary') return ' in the canary';
  return '';
}

/** "3 of 12 containers of checkout", "all 4 hosts of checkout matching zone=a". */
export function blastRadiusInWords(
  radius: BlastRadius,
  service: string,
  resolved: Pick<ResolvedBlastRadius, 'matching' | 'selected'>,
): string {
  const noun = radius.scope === 'hosts' ? 'host' : 'container';
  const total = resolved.matching.length;
  const plural = total === 1 ? noun : `${noun}s`;
  const where = `of ${service}${sourceInWords(radius.source)}${selectorInWords(radius.selector)}`;
  if (total === 0) return `no ${noun}s ${where} (none match)`;
  if (resolved.selected.length === total) {
    return total === 1 ? `the only ${noun} ${where}` : `all ${total} ${plural} ${where}`;
  }
  return `${resolved.selected.length} of ${total} ${plural} ${where}`;
}

/**
 * The review paragraph, in plain words: "Inject 50 % CPU, then 60 %, on 3 of 12 containers of
 * checkout in staging for 4 minutes. Abort if the 5xx rate is above 1 % for 10 s or the error
 * rate keeps rising." The counts come from the resolved blast radius, so the text says what the
 * server will hit.
 */
export function summarizeExperiment(
  spec: ExperimentSpec,
  resolved: Pick<ResolvedBlastRadius, 'matching' | 'selected'>,
): string {
  const attack = attackInWords(spec.attack.type, spec.steps);
  const ramped = distinctMagnitudes(spec.steps).length > 1;
  const preposition = spec.attack.type === 'shutdown' ? '' : ramped ? ', on' : ' on';
  const target = blastRadiusInWords(spec.blastRadius, spec.service, resolved);
  const duration = durationInWords(totalDurationSeconds(spec.steps));
  const first = `${attack}${preposition} ${target} in ${spec.environment} for ${duration}.`;
  const conditions = spec.abortConditions.map(conditionInWords);
  const second = conditions.length
    ? `Abort if ${joinWithOr(conditions)}.`
    : 'No abort condition is set.';
  return `${first} ${second}`;
}
