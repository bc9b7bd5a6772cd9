import type { AttackType, Environment, Fleet, Instance } from '../../src/domain';
import { agentRefusal, type AgentFault } from '../../src/domain/agents';
import type {
  Backend,
  Fault,
  FaultInjector,
  FaultReport,
  TargetInventory,
} from '../backends/seams';
import { isPromise, type MaybePromise } from '../backends/seams';
import type { AgentHub } from './agent-hub';

/** The fault an agent applies for an experiment's attack at a magnitude; a string when it cannot. */
export function agentFaultFor(
  attack: AttackType,
  magnitude: number | undefined,
): AgentFault | string {
  const refusal = agentRefusal(attack);
  if (refusal) return refusal;
  const value = magnitude ?? 0;
  switch (attack) {
    case 'cpu':
      return { type: 'cpu', percent: value };
    case 'memory':
      return { type: 'memory', percent: value };
    case 'latency':
      return { type: 'latency', ms: Math.round(value) };
    case 'error':
      return { type: 'error', percent: value, status: 500 };
    case 'rate-limit':
      return { type: 'error', percent: value, status: 429 };
    case 'connection-drop':
      return { type: 'drop', percent: value };
    case 'shutdown':
      return { type: 'shutdown' };
    default:
      return `${attack} cannot run on agent targets`;
  }
}

/** One fault id per experiment and instance: the agent holds each on its own lease. */
export const agentFaultId = (experimentId: string, instanceId: string) =>
  `${experimentId}/${instanceId}`;

/** The experiment an agent fault id belongs to, or null for one no experiment made. */
export function experimentOfFault(faultId: string): string | null {
  const slash = faultId.indexOf('/');
  return slash > 0 ? faultId.slice(0, slash) : null;
}

function merge(parts: FaultReport[]): FaultReport {
  return {
    done: parts.flatMap((part) => part.done),
    failed: parts.flatMap((part) => part.failed),
  };
}

async function settle(value: MaybePromise<FaultReport>): Promise<FaultReport> {
  return isPromise(value) ? value : Promise.resolve(value);
}

/** Faults on agent targets, sent to the agent that serves each instance. */
function agentInjector(hub: AgentHub): FaultInjector {
  async function each(
    fault: Pick<Fault, 'experimentId' | 'instanceIds'>,
    command: (faultId: string, instanceId: string) => Parameters<AgentHub['send']>[1] | string,
    expected: 'applied' | 'changed' | 'removed',
  ): Promise<FaultReport> {
    const reports = await Promise.all(
      fault.instanceIds.map(async (instanceId) => {
        const owner = hub.ownerOf(instanceId);
        const body = command(agentFaultId(fault.experimentId, instanceId), instanceId);
        if (typeof body === 'string') return { instanceId, ok: false, reason: body };
        if (!owner) {
          // An agent that is gone holds nothing past its lease: a removal is done.
          return expected === 'removed'
            ? { instanceId, ok: true, reason: '' }
            : { instanceId, ok: false, reason: 'its agent is not connected' };
        }
        const report = await hub.send(owner, body);
        return { instanceId, ok: report.outcome === expected, reason: report.detail };
      }),
    );
    return {
      done: reports.filter((r) => r.ok).map((r) => r.instanceId),
      failed: reports
        .filter((r) => !r.ok)
        .map((r) => ({ instanceId: r.instanceId, reason: r.reason })),
    };
  }

  return {
    apply: (fault) =>
      each(
        fault,
        (faultId, target) => {
          const agentFault = agentFaultFor(fault.attack, fault.magnitude);
          return typeof agentFault === 'string'
            ? agentFault
            : { op: 'apply', faultId, target, fault: agentFault };
        },
        'applied',
      ),
    change: (fault) =>
      each(
        fault,
        (faultId) => {
          const agentFault = agentFaultFor(fault.attack, fault.magnitude);
          return typeof agentFault === 'string'
            ? agentFault
            : { op: 'change', faultId, fault: agentFault };
        },
        'changed',
      ),
    remove: (fault) => each(fault, (faultId) => ({ op: 'remove', faultId }), 'removed'),
  };
}

/**
 * A backend with the hub's agents added: their targets join the inventory like any other
 * instance, and faults on them go to their agent; everything else goes where it went.
 */
export function withAgents(backend: Backend, hub: AgentHub): Backend {
  const agents = agentInjector(hub);
  const inner = backend.inventory;
  const agentInstances = (service?: string, environment?: Environment): Instance[] =>
    hub
      .instances()
      .filter(
        (instance) =>
          (service === undefined || instance.service === service) &&
          (environment === undefined || instance.environment === environment),
      );
  const inventory: TargetInventory = {
    ...inner,
    fleet(): Fleet {
      const fleet = inner.fleet();
      const extra = agentInstances();
      const known = new Set(fleet.services.map((service) => service.name));
      const services = [
        ...fleet.services,
        ...[...new Set(extra.map((i) => i.service))]
          .filter((name) => !known.has(name))
          .map((name) => ({ name, description: 'served by a Faultline agent' })),
      ];
      return { services, instances: [...fleet.instances, ...extra] };
    },
    hasService: (service) => inner.hasService(service) || agentInstances(service).length > 0,
    instancesOf: (service, environment) => [
      ...inner.instancesOf(service, environment),
      ...agentInstances(service, environment),
    ],
    // An agent's target labelled version=canary runs the canary, as a configured instance does.
    canaryOf: (service, environment) => [
      ...inner.canaryOf(service, environment),
      ...agentInstances(service, environment).filter((i) => i.labels.version === 'canary'),
    ],
  };

  /** The fault's instances served by an agent, and the rest; each instance's owner asked once. */
  function split<T extends Pick<Fault, 'instanceIds'>>(fault: T): [T, T] {
    const mine: string[] = [];
    const rest: string[] = [];
    for (const id of fault.instanceIds) (hub.ownerOf(id) === null ? rest : mine).push(id);
    return [
      { ...fault, instanceIds: mine },
      { ...fault, instanceIds: rest },
    ];
  }

  function route<T extends Pick<Fault, 'instanceIds'>>(
    fault: T,
    call: (injector: FaultInjector, part: T) => MaybePromise<FaultReport>,
  ): MaybePromise<FaultReport> {
    const [mine, rest] = split(fault);
    if (mine.instanceIds.length === 0) return call(backend.faults, rest);
    return Promise.all([settle(call(agents, mine)), settle(call(backend.faults, rest))]).then(
      merge,
    );
  }

  return {
    ...backend,
    inventory,
    faults: {
      apply: (fault) => route(fault, (injector, part) => injector.apply(part)),
      change: (fault) => route(fault, (injector, part) => injector.change(part)),
      remove: (fault) => route(fault, (injector, part) => injector.remove(part)),
    },
  };
}
