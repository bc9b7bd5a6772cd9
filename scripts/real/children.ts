import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ChildSpec {
  /** The prefix of its output lines, e.g. "shop-1". */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Each line it prints (after the prefixed copy on our output). */
  onLine?: (line: string) => void;
  /** Print its output (default true). */
  echo?: boolean;
}

/**
 * A process `start:real` started and must stop. Started through `setpriv --pdeathsig TERM`, so
 * the kernel sends it SIGTERM the moment this process dies, however it dies (kill -9 included);
 * in a process group of its own, so a Ctrl-C in the terminal reaches only `start:real`, which
 * then stops each child in order, by its pid.
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
    const child = spawn('setpriv', ['--pdeathsig', 'TERM', spec.command, ...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const echo = spec.echo ?? true;
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        if (echo) process.stdout.write(`[${spec.name}] ${line}\n`);
        spec.onLine?.(line);
      });
    }
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
