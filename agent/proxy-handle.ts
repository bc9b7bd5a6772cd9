import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProxyCounts, ProxyFaults } from './fault-proxy';

const entry = fileURLToPath(new URL('./proxy-process.ts', import.meta.url));

/** Where each fault proxy's claim on its port is written, so a restarted agent can take it. */
const CLAIMS_DIR = path.join(tmpdir(), 'faultline-agent');
/** How long an orphaned proxy gets to end on SIGTERM before SIGKILL, in ms. */
const TAKE_OVER_MS = 2_000;

/** A fault proxy's claim on a port: its pid and its agent's, each with its start time. */
interface Claim {
  port: number;
  proxyPid: number;
  proxyStart: string;
  agentPid: number;
  agentStart: string;
}

const claimFile = (port: number) => path.join(CLAIMS_DIR, `proxy-${port}.json`);

/** A process's start time (clock ticks since boot) from /proc, or null when it is gone. */
function startTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? null : (fields[19] ?? null);
  } catch {
    return null;
  }
}

/** Still the same live process as when the claim was written (pids are reused). */
const sameProcess = (pid: number, start: string) => startTime(pid) === start;

function readClaim(port: number): Claim | null {
  try {
    return JSON.parse(readFileSync(claimFile(port), 'utf8')) as Claim;
  } catch {
    return null;
  }
}

/**
 * A fault proxy outlives an agent killed with -9 (on purpose: it keeps forwarding, without
 * faults) and so keeps its port. The agent restarted on that port ends that orphan first.
 * A proxy whose agent still runs is never touched: the port is then refused, saying whose.
 */
async function takeOver(port: number): Promise<void> {
  const claim = readClaim(port);
  if (!claim || !sameProcess(claim.proxyPid, claim.proxyStart)) return;
  if (claim.agentPid !== process.pid && sameProcess(claim.agentPid, claim.agentStart)) {
    throw new Error(
      `port ${port} is held by the fault proxy (pid ${claim.proxyPid}) of a running agent (pid ${claim.agentPid})`,
    );
  }
  process.kill(claim.proxyPid, 'SIGTERM');
  const until = Date.now() + TAKE_OVER_MS;
  while (sameProcess(claim.proxyPid, claim.proxyStart) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (sameProcess(claim.proxyPid, claim.proxyStart)) process.kill(claim.proxyPid, 'SIGKILL');
  rmSync(claimFile(port), { force: true });
}

interface Ack {
  seq: number;
  faults: ProxyFaults;
  counts: ProxyCounts;
}

/** The agent's side of one fault proxy process (see proxy-process.ts). */
export class ProxyHandle {
  private seq = 0;
  private readonly waiting = new Map<number, (ack: Ack) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (message: Ack | { ready: number }) => {
      if ('seq' in message) {
        this.waiting.get(message.seq)?.(message);
        this.waiting.delete(message.seq);
      }
    });
  }

  static async start(upstreamPort: number, listenPort: number): Promise<ProxyHandle> {
    if (listenPort !== 0) await takeOver(listenPort);
    const child = fork(entry, [String(upstreamPort), String(listenPort)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-500);
    });
    const ready = new Promise<number>((resolve) => {
      child.on('message', (message: { ready?: number }) => {
        if (message.ready !== undefined) resolve(message.ready);
      });
    });
    const port = await Promise.race([
      ready,
      once(child, 'exit').then(() => {
        throw new Error(stderr.trim() || `fault proxy for port ${upstreamPort} exited`);
      }),
    ]);
    const handle = new ProxyHandle(child, port);
    handle.writeClaim();
    return handle;
  }

  private writeClaim(): void {
    const proxyStart = startTime(this.pid);
    const agentStart = startTime(process.pid);
    if (proxyStart === null || agentStart === null) return;
    const claim: Claim = {
      port: this.port,
      proxyPid: this.pid,
      proxyStart,
      agentPid: process.pid,
      agentStart,
    };
    mkdirSync(CLAIMS_DIR, { recursive: true });
    writeFileSync(claimFile(this.port), JSON.stringify(claim));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sets the proxy's faults; resolves with what the proxy says it now does. */
  async set(faults: ProxyFaults): Promise<Ack> {
    if (!this.child.connected) throw new Error('the fault proxy is gone');
    this.seq += 1;
    const seq = this.seq;
    const acked = new Promise<Ack>((resolve) => this.waiting.set(seq, resolve));
    this.child.send({ seq, faults });
    return acked;
  }

  async stop(): Promise<void> {
    if (readClaim(this.port)?.proxyPid === this.pid) rmSync(claimFile(this.port), { force: true });
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
