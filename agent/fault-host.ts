import {
  HTTP_FAULT_TYPES,
  type AgentFault,
  type AgentTarget,
  type FaultReport,
} from '../src/domain/agents';
import { NO_FAULTS, type ProxyFaults } from './fault-proxy';
import { Freeze } from './freeze';
import type { ProxyHandle } from './proxy-handle';
import { StressProcess, type StressOptions } from './stress';

/** A target as the agent runs it: its config, the pid it resolved, its fault proxy. */
export interface RunningTarget {
  target: AgentTarget;
  pid: number;
  proxy: ProxyHandle | null;
}

type Held =
  | {
      faultId: string;
      target: RunningTarget;
      fault: AgentFault;
      kind: 'stress';
      stress: StressProcess;
    }
  | { faultId: string; target: RunningTarget; fault: AgentFault; kind: 'proxy' }
  | { faultId: string; target: RunningTarget; fault: AgentFault; kind: 'freeze'; freeze: Freeze };

/** A report on one fault on one target: what happened to it, in words. */
const reportOn =
  (faultId: string, target: string) =>
  (outcome: FaultReport['outcome'], detail: string): FaultReport => ({
    faultId,
    target,
    outcome,
    detail,
  });

/**
 * Every fault the agent holds, by id. Apply, change and remove answer with what was actually
 * done, in words, so the server records the truth rather than the request. Faults through
 * the proxy on one target add up (latency and errors at once).
 */
export class FaultHost {
  private readonly held = new Map<string, Held>();
  /** CPU seconds of stress-ng processes that have ended, by target. */
  private readonly stressCpuEnded = new Map<string, number>();

  constructor(
    private readonly targets: ReadonlyMap<string, RunningTarget>,
    private readonly stressOptions: StressOptions,
  ) {}

  get faultIds(): string[] {
    return [...this.held.keys()];
  }

  /**
   * CPU seconds the agent's stress-ng has used against each target since the agent started, a
   * counter that never goes down. The server exports it so the target's CPU reads as a
   * container's would with the stress process inside it.
   */
  stressCpuSeconds(): Record<string, number> {
    const totals: Record<string, number> = {};
    for (const name of this.targets.keys()) totals[name] = this.stressCpuEnded.get(name) ?? 0;
    for (const held of this.held.values()) {
      if (held.kind !== 'stress') continue;
      const name = held.target.target.name;
      totals[name] = (totals[name] ?? 0) + held.stress.cpuSeconds();
    }
    return totals;
  }

  /**
   * Stops a stress-ng and keeps what it used in its target's total. Called in the same tick as
   * it leaves `held`, so the total is never read without it or with it twice.
   */
  private async endStress(target: RunningTarget, stress: StressProcess): Promise<void> {
    const name = target.target.name;
    this.stressCpuEnded.set(name, (this.stressCpuEnded.get(name) ?? 0) + stress.cpuSeconds());
    await stress.stop();
  }

  async apply(faultId: string, targetName: string, fault: AgentFault): Promise<FaultReport> {
    const report = reportOn(faultId, targetName);
    const target = this.targets.get(targetName);
    if (!target) return report('refused', `this agent has no target named ${targetName}`);
    if (this.held.has(faultId)) return report('refused', `fault ${faultId} is already applied`);
    try {
      if (fault.type === 'cpu' || fault.type === 'memory') {
        const stress = await StressProcess.start(fault.type, fault.percent, this.stressOptions);
        this.held.set(faultId, { faultId, target, fault, kind: 'stress', stress });
        return report('applied', stress.describe(this.stressOptions.workers));
      }
      if (HTTP_FAULT_TYPES.has(fault.type)) {
        if (!target.proxy) {
          return report('refused', `${targetName} has no HTTP port configured for proxy faults`);
        }
        this.held.set(faultId, { faultId, target, fault, kind: 'proxy' });
        return report('applied', await this.syncProxy(target));
      }
      const freeze = await Freeze.start(target.pid);
      this.held.set(faultId, { faultId, target, fault, kind: 'freeze', freeze });
      return report('applied', `process ${target.pid} stopped (SIGSTOP)`);
    } catch (error) {
      return report('failed', (error as Error).message);
    }
  }

  /** A new magnitude for a held fault, without a moment in which the fault is off. */
  async change(faultId: string, fault: AgentFault): Promise<FaultReport> {
    const held = this.held.get(faultId);
    const report = reportOn(faultId, held?.target.target.name ?? 'unknown');
    if (!held) return report('refused', `fault ${faultId} is not applied`);
    if (held.fault.type !== fault.type) {
      return report('refused', `fault ${faultId} is ${held.fault.type}, not ${fault.type}`);
    }
    try {
      if (held.kind === 'stress' && (fault.type === 'cpu' || fault.type === 'memory')) {
        // The new level starts before the old one stops: the pressure never drops to zero.
        const next = await StressProcess.start(fault.type, fault.percent, this.stressOptions);
        this.held.set(faultId, { ...held, fault, stress: next });
        await this.endStress(held.target, held.stress);
        return report('changed', next.describe(this.stressOptions.workers));
      }
      if (held.kind === 'proxy') {
        this.held.set(faultId, { ...held, fault });
        return report('changed', await this.syncProxy(held.target));
      }
      return report('changed', 'instance shutdown has no magnitude; nothing to change');
    } catch (error) {
      return report('failed', (error as Error).message);
    }
  }

  async remove(faultId: string): Promise<FaultReport> {
    const held = this.held.get(faultId);
    if (!held) return reportOn(faultId, 'unknown')('removed', 'was not applied');
    this.held.delete(faultId);
    const report = reportOn(faultId, held.target.target.name);
    try {
      if (held.kind === 'stress') {
        await this.endStress(held.target, held.stress);
        return report('removed', `stress-ng pid ${held.stress.pid} exited`);
      }
      if (held.kind === 'proxy') return report('removed', await this.syncProxy(held.target));
      await held.freeze.stop();
      return report('removed', `process ${held.freeze.pid} continued (SIGCONT)`);
    } catch (error) {
      return report('failed', (error as Error).message);
    }
  }

  /** Removes every fault at once: the lease ran out, or the agent is stopping. */
  async removeAll(): Promise<FaultReport[]> {
    return Promise.all(this.faultIds.map((faultId) => this.remove(faultId)));
  }

  /** Sends a target's proxy the sum of its proxy faults; answers what the proxy now does. */
  private async syncProxy(target: RunningTarget): Promise<string> {
    const faults: ProxyFaults = { ...NO_FAULTS };
    for (const held of this.held.values()) {
      if (held.target !== target || held.kind !== 'proxy') continue;
      const fault = held.fault;
      if (fault.type === 'latency') faults.latencyMs += fault.ms;
      if (fault.type === 'error') {
        faults.errorPercent = Math.min(100, faults.errorPercent + fault.percent);
        faults.errorStatus = fault.status;
      }
      if (fault.type === 'drop')
        faults.dropPercent = Math.min(100, faults.dropPercent + fault.percent);
    }
    if (!target.proxy) throw new Error(`${target.target.name} has no fault proxy`);
    const ack = await target.proxy.set(faults);
    return describeProxy(ack.faults, target.proxy.port);
  }
}

function describeProxy(faults: ProxyFaults, port: number): string {
  const parts: string[] = [];
  if (faults.latencyMs > 0) parts.push(`+${faults.latencyMs} ms`);
  if (faults.errorPercent > 0)
    parts.push(`${faults.errorPercent} % answered ${faults.errorStatus}`);
  if (faults.dropPercent > 0) parts.push(`${faults.dropPercent} % of connections dropped`);
  return `fault proxy on port ${port}: ${parts.length > 0 ? parts.join(', ') : 'forwarding only'}`;
}
