import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type {
  AgentCommand,
  AgentHeartbeat,
  AgentHello,
  AgentView,
  AnnouncedTarget,
  FaultReport,
} from '../../src/domain/agents';
import { AGENT_LABEL, FLAG_SERVICE, type Instance } from '../../src/domain';
import type { Clock } from '../clock';

const escapeLabel = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** How often the server speaks on an agent's stream, in ms; each word renews the agent's lease. */
const LEASE_PING_MS = 500;
/** How long the server waits for an agent to say what it did with one command, in ms. */
const COMMAND_TIMEOUT_MS = 3_000;

type CommandBody = AgentCommand extends infer C
  ? C extends AgentCommand
    ? Omit<C, 'seq'>
    : never
  : never;

interface Pending {
  resolve: (report: FaultReport) => void;
  timer: NodeJS.Timeout;
  faultId: string;
  target: string;
}

interface ConnectedAgent {
  id: string;
  tokenId: string;
  tokenName: string;
  host: string;
  targets: AnnouncedTarget[];
  connectedAt: number;
  lastSeenAt: number;
  stream: ServerResponse | null;
  ping: NodeJS.Timeout | null;
  seq: number;
  pending: Map<number, Pending>;
  /** What the agent last said it holds, by fault id. */
  faults: Map<string, FaultReport>;
  /** Commands sent before the agent opened its stream. */
  queued: string[];
  /** CPU seconds its stress-ng has used per target, as its last heartbeat said. */
  stressCpuSeconds: Record<string, number>;
}

/**
 * A target the agent announces clashes with what the fleet already has: an instance of that
 * name, or Faultline's own flag service. Connecting again as it is will not help.
 */
export class AgentConflictError extends Error {}

/**
 * The agents connected to this server. An agent connects, opens a command stream, and answers
 * each command with what it actually did. The stream carries a ping every LEASE_PING_MS: an
 * agent that hears nothing for its heartbeat timeout removes every fault it holds.
 */
export function createAgentHub(
  clock: Clock,
  options: { pingMs?: number; commandTimeoutMs?: number } = {},
) {
  const pingMs = options.pingMs ?? LEASE_PING_MS;
  const commandTimeoutMs = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
  const agents = new Map<string, ConnectedAgent>();
  /** Which agent serves an instance (instance id = target name). */
  const owners = new Map<string, string>();

  function write(agent: ConnectedAgent, frame: string) {
    if (agent.stream) agent.stream.write(frame);
    else agent.queued.push(frame);
  }

  function fail(agent: ConnectedAgent, reason: string) {
    for (const [seq, pending] of agent.pending) {
      clearTimeout(pending.timer);
      pending.resolve({
        faultId: pending.faultId,
        target: pending.target,
        outcome: 'failed',
        detail: reason,
      });
      agent.pending.delete(seq);
    }
  }

  function closeStream(agent: ConnectedAgent) {
    if (agent.ping) clearInterval(agent.ping);
    agent.ping = null;
    agent.stream?.end();
    agent.stream = null;
  }

  function drop(agent: ConnectedAgent, reason: string) {
    closeStream(agent);
    fail(agent, reason);
    agents.delete(agent.id);
    for (const target of agent.targets) {
      if (owners.get(target.name) === agent.id) owners.delete(target.name);
    }
  }

  return {
    /** Registers an agent; refuses a target name another connected agent already serves. */
    connect(
      token: { id: string; name: string },
      hello: AgentHello,
      taken: (id: string) => boolean,
    ) {
      // A token reconnecting (its agent restarted, or its stream broke) replaces its old self,
      // whose targets are then no clash. It is dropped only once this connect is accepted: a
      // refused one leaves the working connection, and the faults it holds, as they were.
      const replaced = [...agents.values()].filter(
        (agent) => agent.tokenId === token.id && agent.host === hello.host,
      );
      const replacedIds = new Set(replaced.map((agent) => agent.id));
      for (const target of hello.targets) {
        if (target.service === FLAG_SERVICE) {
          throw new AgentConflictError(
            `${FLAG_SERVICE} is Faultline's own flag service; name the service of ${target.name} otherwise`,
          );
        }
        const owner = owners.get(target.name);
        if ((owner && !replacedIds.has(owner)) || taken(target.name)) {
          throw new AgentConflictError(
            `an instance named ${target.name} already exists in the fleet`,
          );
        }
      }
      for (const agent of replaced) drop(agent, 'the agent reconnected');
      const now = clock.now();
      const agent: ConnectedAgent = {
        id: randomUUID(),
        tokenId: token.id,
        tokenName: token.name,
        host: hello.host,
        targets: hello.targets,
        connectedAt: now,
        lastSeenAt: now,
        stream: null,
        ping: null,
        seq: 0,
        pending: new Map(),
        faults: new Map(),
        queued: [],
        stressCpuSeconds: {},
      };
      agents.set(agent.id, agent);
      for (const target of hello.targets) owners.set(target.name, agent.id);
      return agent.id;
    },

    /** The agent's command stream: queued commands first, then a ping every pingMs. */
    openStream(agentId: string, tokenId: string, stream: ServerResponse): boolean {
      const agent = agents.get(agentId);
      if (!agent || agent.tokenId !== tokenId) return false;
      closeStream(agent);
      agent.stream = stream;
      stream.write(agent.queued.splice(0).join('') + 'event: lease\ndata: {}\n\n');
      agent.ping = setInterval(() => stream.write('event: lease\ndata: {}\n\n'), pingMs);
      stream.on('close', () => {
        if (agent.stream === stream) drop(agent, 'the agent disconnected');
      });
      return true;
    },

    /** Sends one command; resolves with the agent's report, or a failure after the timeout. */
    send(agentId: string, command: CommandBody): Promise<FaultReport> {
      const agent = agents.get(agentId);
      const faultId = 'faultId' in command ? command.faultId : '*';
      const target = command.op === 'apply' ? command.target : 'unknown';
      if (!agent) {
        return Promise.resolve({
          faultId,
          target,
          outcome: 'failed',
          detail: 'the agent is not connected',
        });
      }
      agent.seq += 1;
      const seq = agent.seq;
      const report = new Promise<FaultReport>((resolve) => {
        const timer = setTimeout(() => {
          agent.pending.delete(seq);
          resolve({
            faultId,
            target,
            outcome: 'failed',
            detail: `the agent on ${agent.host} did not answer within ${commandTimeoutMs} ms`,
          });
        }, commandTimeoutMs);
        agent.pending.set(seq, { resolve, timer, faultId, target });
      });
      write(agent, `event: command\ndata: ${JSON.stringify({ ...command, seq })}\n\n`);
      return report;
    },

    /**
     * An agent's answers: each settles the command with its seq, and updates what it holds.
     * Answers the reports that answer a command this server was waiting on (null for an agent
     * that is not connected with this token): only those are the server's to record.
     */
    report(
      agentId: string,
      tokenId: string,
      reports: (FaultReport & { seq: number })[],
    ): FaultReport[] | null {
      const agent = agents.get(agentId);
      if (!agent || agent.tokenId !== tokenId) return null;
      agent.lastSeenAt = clock.now();
      // A reconcile is answered by one report per fault it removed, all with its seq.
      const asked = new Set(reports.map(({ seq }) => seq).filter((seq) => agent.pending.has(seq)));
      const settled: FaultReport[] = [];
      for (const { seq, ...report } of reports) {
        if (report.outcome === 'applied' || report.outcome === 'changed') {
          agent.faults.set(report.faultId, report);
        } else if (report.outcome === 'removed') {
          agent.faults.delete(report.faultId);
        }
        const pending = agent.pending.get(seq);
        if (pending) {
          clearTimeout(pending.timer);
          agent.pending.delete(seq);
          pending.resolve(report);
        }
        if (asked.has(seq)) settled.push(report);
      }
      return settled;
    },

    /** An agent's heartbeat: it is alive, and what its stress-ng has used per target. */
    heartbeat(agentId: string, tokenId: string, heartbeat: AgentHeartbeat): boolean {
      const agent = agents.get(agentId);
      if (!agent || agent.tokenId !== tokenId) return false;
      agent.lastSeenAt = clock.now();
      const known = new Set(agent.targets.map((t) => t.name));
      agent.stressCpuSeconds = Object.fromEntries(
        Object.entries(heartbeat.stressCpuSeconds).filter(([name]) => known.has(name)),
      );
      return true;
    },

    /**
     * Prometheus exposition lines: the CPU seconds each online agent's stress-ng has used
     * against each of its targets, labelled like the target's own series (instance, service,
     * environment), so a CPU query can charge them to the target.
     */
    expositionLines(): string[] {
      const name = 'faultline_agent_stress_cpu_seconds_total';
      const lines = [
        `# HELP ${name} CPU seconds used by the agent's stress-ng against a target.`,
        `# TYPE ${name} counter`,
      ];
      for (const agent of agents.values()) {
        if (agent.stream === null) continue;
        for (const target of agent.targets) {
          const seconds = agent.stressCpuSeconds[target.name] ?? 0;
          lines.push(
            `${name}{instance="${target.name}",service="${escapeLabel(target.service)}",environment="${target.environment}"} ${seconds}`,
          );
        }
      }
      return lines;
    },

    /** The agent serving an instance, if an agent does. */
    ownerOf: (instanceId: string): string | null => owners.get(instanceId) ?? null,

    /** Every agent target as a fleet instance, so the designer picks them like any other. */
    instances(): Instance[] {
      return [...agents.values()].flatMap((agent) =>
        agent.targets.map((target) => ({
          id: target.name,
          kind: 'host' as const,
          service: target.service,
          environment: target.environment,
          hostId: target.name,
          labels: { ...target.labels, [AGENT_LABEL]: agent.host },
        })),
      );
    },

    list(): AgentView[] {
      return [...agents.values()].map((agent) => ({
        id: agent.id,
        host: agent.host,
        tokenName: agent.tokenName,
        online: agent.stream !== null,
        connectedAt: agent.connectedAt,
        lastSeenAt: agent.lastSeenAt,
        targets: agent.targets,
        faults: [...agent.faults.values()],
      }));
    },

    /** Ends every connection of a token (it was revoked): its agents' leases then run out. */
    disconnectToken(tokenId: string) {
      for (const agent of [...agents.values()]) {
        if (agent.tokenId === tokenId) drop(agent, 'the agent token was revoked');
      }
    },

    close() {
      for (const agent of [...agents.values()]) drop(agent, 'the server is stopping');
    },
  };
}
export type AgentHub = ReturnType<typeof createAgentHub>;
