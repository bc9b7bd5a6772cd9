import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ProxyCounts, ProxyFaults } from './fault-proxy';

const entry = fileURLToPath(new URL('./proxy-process.ts', import.meta.url));

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
    return new ProxyHandle(child, port);
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
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}
