import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface ChildSpec {
  /** What it is, in messages: "shop-1". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /**
   * Pass it one SIGTERM however many arrive. When a multi-threaded parent (Node) dies, the
   * kernel sends the death signal once per exiting thread; a program that stops on the first
   * and dies on the second (the agent, halfway through ending its fault proxies) needs this.
   */
  oneTerm?: boolean;
}

/** A shell (one thread: one death signal) that passes the first TERM or INT on, once. */
const ONE_TERM = [
  'sh',
  '-c',
  [
    'trap \'trap "" TERM INT; kill -TERM "$c" 2>/dev/null\' TERM INT',
    '"$@" &',
    'c=$!',
    'while :; do wait "$c"; s=$?; kill -0 "$c" 2>/dev/null || exit "$s"; done',
  ].join('\n'),
  'one-term',
];

/**
 * A process `start:real` started and must stop. Started through `setpriv --pdeathsig TERM`, so
 * the kernel sends it SIGTERM the moment this process dies, however it dies (kill -9 included);
 * in a process group of its own, so a Ctrl-C in the terminal reaches only `start:real`, which
 * then stops each child in order, by its pid. Its output goes straight to ours (not through a
 * pipe this process holds: a child writing to a pipe whose reader died would crash mid-stop).
 */
export class Child {
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = once(child, 'exit').then(() => undefined);
  }

  static start(spec: ChildSpec): Child {
    const program = [...(spec.oneTerm ? ONE_TERM : []), spec.command, ...spec.args];
    const child = spawn('setpriv', ['--pdeathsig', 'TERM', ...program], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    child.on('error', (error) => {
      process.stderr.write(`[${spec.name}] could not start: ${error.message}\n`);
    });
    return new Child(spec.name, child);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with a description of how it ended, whenever it ends. */
  ended(): Promise<string> {
    return this.exited.then(() =>
      this.child.signalCode ? `signal ${this.child.signalCode}` : `code ${this.child.exitCode}`,
    );
  }

  /** SIGTERM, then SIGKILL if it has not ended after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'late'>((resolve) => {
      const handle = setTimeout(() => resolve('late'), graceMs);
      void this.exited.then(() => clearTimeout(handle));
    });
    if ((await Promise.race([this.exited, timer])) === 'late') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}

/** Polls `check` every 200 ms until it answers true or `limitMs` passes. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  limitMs: number,
  alive?: Child,
): Promise<void> {
  const until = Date.now() + limitMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (alive && !alive.running) throw new Error(`${alive.name} ended while waiting for ${what}`);
    if (Date.now() > until) throw new Error(`${what} was not ready after ${limitMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
