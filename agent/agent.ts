import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { z } from 'zod';
import {
  agentCommandSchema,
  type AgentCommand,
  type AgentConfig,
  type AgentHello,
  type FaultReport,
} from '../src/domain/agents';
import type { AgentOptions } from './config';
import { FaultHost, type RunningTarget } from './fault-host';
import { Lease } from './lease';
import { ProxyHandle } from './proxy-handle';
import { sseEvents } from './sse-lines';

const AGENT_VERSION = '1';

/** How often the agent tells the server it is alive and what its stress-ng has used, in ms. */
const HEARTBEAT_MS = 1_000;

/** Pause before reconnecting, in ms: doubles from the first to the last, never longer. */
const RECONNECT_MS = { first: 250, last: 4_000 };

/** Enough of a command to answer it: its seq, and the fault it is about when it names one. */
const commandEnvelopeSchema = z.object({
  seq: z.number().int(),
  op: z.string().max(40),
  faultId: z.string().min(1).max(128).optional(),
});

/**
 * A command from the stream; for one this agent cannot read (from a server newer than it), a
 * refusal saying why, answered at once rather than left for the server to time out on; null
 * when not even its seq can be read.
 */
function readCommand(
  data: string,
): { seq: number; command: AgentCommand } | { seq: number; refusal: FaultReport } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  const parsed = agentCommandSchema.safeParse(raw);
  if (parsed.success) return { seq: parsed.data.seq, command: parsed.data };
  const envelope = commandEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return null;
  const why = parsed.error.issues
    .map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`)
    .join('; ');
  return {
    seq: envelope.data.seq,
    refusal: {
      faultId: envelope.data.faultId ?? 'unknown',
      target: 'unknown',
      outcome: 'refused',
      detail: `this agent cannot read the ${envelope.data.op} command (${why})`.slice(0, 500),
    },
  };
}

interface AgentLog {
  (line: string): void;
}

/**
 * The agent: starts its targets' fault proxies, connects out to the server (no inbound
 * port), applies what the server asks, reports what it actually did, and removes every fault
 * when the server has been silent for the heartbeat timeout.
 */
export async function startAgent(options: AgentOptions, config: AgentConfig, log: AgentLog) {
  const targets = new Map<string, RunningTarget>();
  const owned: number[] = [];
  for (const target of config.targets) {
    let pid: number;
    if ('pid' in target.process) {
      pid = target.process.pid;
    } else {
      const [program, ...args] = target.process.command;
      const child = spawn(program!, args, {
        cwd: target.process.cwd,
        stdio: 'ignore',
        detached: true,
      });
      child.unref();
      pid = child.pid ?? -1;
      owned.push(pid);
    }
    const proxy = target.http
      ? await ProxyHandle.start(target.http.port, target.http.proxyPort)
      : null;
    targets.set(target.name, { target, pid, proxy });
  }
  const host = new FaultHost(targets, { workers: options.stressWorkers });
  const lease = new Lease(options.heartbeatTimeoutMs, () => {
    void host.removeAll().then((reports) => {
      if (reports.length > 0) {
        log(
          `the server was silent for ${options.heartbeatTimeoutMs} ms: removed ${reports.length} fault(s)`,
        );
      }
    });
  });
  const headers = {
    authorization: `Bearer ${options.token}`,
    'content-type': 'application/json',
  };
  const base = options.server.replace(/\/$/, '');
  let stopped = false;
  /** Aborted on stop: ends a connection attempt or a command stream wherever it is. */
  const quit = new AbortController();

  async function post(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
    return fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body), signal });
  }

  async function execute(command: AgentCommand): Promise<FaultReport[]> {
    switch (command.op) {
      case 'apply':
        return [await host.apply(command.faultId, command.target, command.fault)];
      case 'change':
        return [await host.change(command.faultId, command.fault)];
      case 'remove':
        return [await host.remove(command.faultId)];
      case 'reconcile': {
        const keep = new Set(command.keep);
        const removed = await Promise.all(
          host.faultIds.filter((id) => !keep.has(id)).map((id) => host.remove(id)),
        );
        return [
          ...removed,
          {
            faultId: 'reconcile',
            target: 'unknown',
            outcome: 'removed',
            detail: `reconciled: ${removed.length} fault(s) removed, ${keep.size} kept`,
          },
        ];
      }
    }
  }

  async function session(): Promise<void> {
    const hello: AgentHello = {
      host: hostname(),
      version: AGENT_VERSION,
      holding: host.faultIds,
      targets: config.targets.map((target) => ({
        name: target.name,
        service: target.service,
        environment: target.environment,
        labels: target.labels,
        pid: targets.get(target.name)!.pid,
        http: target.http !== undefined,
      })),
    };
    const connected = await post('/api/v1/agents/connect', hello, quit.signal);
    if (!connected.ok) {
      throw new Error(
        `the server refused the agent: ${connected.status} ${await connected.text()}`,
      );
    }
    const { agentId } = (await connected.json()) as { agentId: string };
    const stream = await fetch(`${base}/api/v1/agents/${agentId}/commands`, {
      headers,
      signal: quit.signal,
    });
    if (!stream.ok || !stream.body) throw new Error(`no command stream: ${stream.status}`);
    log(`connected to ${base} as agent ${agentId} with ${targets.size} target(s)`);
    // A heartbeat a second while the stream is open; one at a time, never piling up.
    let beating = false;
    const heartbeat = setInterval(() => {
      if (beating) return;
      beating = true;
      void post(
        `/api/v1/agents/${agentId}/heartbeat`,
        { stressCpuSeconds: host.stressCpuSeconds() },
        quit.signal,
      )
        .then((answer) => answer.body?.cancel())
        .catch(() => undefined)
        .finally(() => (beating = false));
    }, HEARTBEAT_MS);
    try {
      await follow(agentId, stream.body);
    } finally {
      clearInterval(heartbeat);
    }
  }

  async function follow(agentId: string, body: ReadableStream<Uint8Array>): Promise<void> {
    for await (const event of sseEvents(body)) {
      lease.renew();
      if (event.event !== 'command') continue;
      const received = readCommand(event.data);
      if (!received) continue;
      // Each command runs on its own: a slow stress-ng start never delays a removal.
      const done =
        'refusal' in received ? Promise.resolve([received.refusal]) : execute(received.command);
      void done.then(async (reports) => {
        const answer = await post(`/api/v1/agents/${agentId}/reports`, {
          reports: reports.map((report) => ({ ...report, seq: received.seq })),
        }).catch(() => null);
        await answer?.body?.cancel();
      });
    }
  }

  async function run(): Promise<void> {
    let pause = RECONNECT_MS.first;
    while (!stopped) {
      const started = Date.now();
      try {
        await session();
      } catch (error) {
        if (!stopped) log(`connection: ${(error as Error).message}`);
      }
      if (stopped) break;
      if (Date.now() - started > RECONNECT_MS.last) pause = RECONNECT_MS.first;
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, pause);
        quit.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve(undefined);
          },
          { once: true },
        );
      });
      pause = Math.min(pause * 2, RECONNECT_MS.last);
    }
  }

  const running = run();
  return {
    host,
    targets,
    /** Removes every fault, ends the proxies and the processes the agent started, and stops. */
    async stop(): Promise<void> {
      stopped = true;
      lease.stop();
      quit.abort();
      await host.removeAll();
      await Promise.all([...targets.values()].map((target) => target.proxy?.stop()));
      for (const pid of owned) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already ended
        }
      }
      await running;
    },
  };
}
