import { agentRefusal } from './agents';
import { ATTACK_INFO, type AttackType } from './attacks';
import type { Instance } from './fleet';

/**
 * Where an instance's faults are made: inside the simulation, by a Faultline agent on a real
 * host, or on Faultline's own flag service (its OFREP endpoint for one environment). Each kind
 * takes only the attacks it can really perform; the designer and the server ask the same
 * function, so what the designer says is what the server refuses.
 */
type TargetKind = 'simulated' | 'agent' | 'flag-service';

/** The service under which Faultline's own OFREP endpoint appears in the fleet. */
export const FLAG_SERVICE = 'faultline-flags';

/** The label every agent target carries: the host its agent runs on. */
export const AGENT_LABEL = 'agent';

/**
 * What the flag service target takes: slower answers, a share of errors or of 429s (OFREP's
 * own answer for a rate limit, which its providers back off from), an outage.
 */
const FLAG_SERVICE_ATTACKS: ReadonlySet<AttackType> = new Set([
  'latency',
  'error',
  'rate-limit',
  'shutdown',
]);

/** The instance that stands for the flag service's OFREP endpoint in one environment. */
export const flagServiceInstanceId = (environment: string) => `ofrep-${environment}`;

export function targetKindOf(instance: Pick<Instance, 'service' | 'labels'>): TargetKind {
  if (instance.service === FLAG_SERVICE) return 'flag-service';
  if (instance.labels[AGENT_LABEL] !== undefined) return 'agent';
  return 'simulated';
}

/** Why one kind of target cannot take an attack, or null when it can. */
function kindRefusal(kind: TargetKind, attack: AttackType): string | null {
  if (kind === 'agent') return agentRefusal(attack);
  if (kind === 'flag-service' && attack === 'connection-drop') {
    return (
      "the flag service's OFREP endpoint is served by Faultline's own server, which never cuts " +
      'connections: use error injection or an outage (instance shutdown)'
    );
  }
  if (kind === 'flag-service' && !FLAG_SERVICE_ATTACKS.has(attack)) {
    return "the flag service's OFREP endpoint takes only added latency, error injection, rate limiting or an outage (instance shutdown)";
  }
  return null;
}

/**
 * Why an attack cannot run on these instances, naming them, or null when every one can take
 * it. A refused experiment is not started at all: no instance gets a fault that others lack.
 */
export function attackRefusal(
  attack: AttackType,
  instances: readonly Pick<Instance, 'id' | 'service' | 'labels'>[],
): string | null {
  const refused = new Map<string, string[]>();
  for (const instance of instances) {
    const reason = kindRefusal(targetKindOf(instance), attack);
    if (reason) refused.set(reason, [...(refused.get(reason) ?? []), instance.id]);
  }
  const [first] = refused;
  if (!first) return null;
  const [reason, ids] = first;
  const named =
    ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ');
  return `${ATTACK_INFO[attack].label} cannot run on ${named}: ${reason}`;
}
