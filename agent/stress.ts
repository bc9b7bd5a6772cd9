import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** Clock ticks per second in /proc (USER_HZ): 100 on every Linux the agent runs on. */
const TICKS_PER_SECOND = 100;

/** [utime + stime, cutime + cstime] of a process, in ticks; null once it is gone. */
function ticksOf(pid: number): [own: number, reaped: number] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(fields[11]) + Number(fields[12]), Number(fields[13]) + Number(fields[14])];
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

type StressKind = 'cpu' | 'memory';

export interface StressOptions {
  /** stress-ng workers; 0 means one per online CPU. */
  workers: number;
  /** The stress-ng binary (Debian's package installs it as stress-ng). */
  binary?: string;
}

/** stress-ng's arguments for a kind and magnitude (%), one place so tests can read them. */
export function stressArgs(kind: StressKind, percent: number, workers: number): string[] {
  const load = String(Math.round(percent));
  return kind === 'cpu'
    ? ['--cpu', String(workers), '--cpu-load', load, '--quiet']
    : ['--vm', String(Math.max(workers, 1)), '--vm-bytes', `${load}%`, '--vm-keep', '--quiet'];
}

/**
 * One running stress-ng, started through `setpriv --pdeathsig KILL` so that the kernel kills
 * it the moment the agent dies, however it dies (kill -9 included); stress-ng does the same
 * for its own workers. It runs in its own process group so that stopping it stops every
 * worker at once.
 */
export class StressProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly kind: StressKind,
    readonly percent: number,
    private readonly exited: Promise<void>,
  ) {}

  static async start(
    kind: StressKind,
    percent: number,
    options: StressOptions,
  ): Promise<StressProcess> {
    const args = stressArgs(kind, percent, options.workers);
    const child = spawn(
      'setpriv',
      ['--pdeathsig', 'KILL', options.binary ?? 'stress-ng', ...args],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        detached: true,
      },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr = (stderr + text).slice(-500);
    });
    const exited = once(child, 'exit').then(() => undefined);
    const started = await Promise.race([
      once(child, 'spawn').then(() => true),
      once(child, 'error').then(([error]) => {
        throw new Error(`stress-ng could not start: ${(error as Error).message}`);
      }),
    ]);
    // stress-ng refuses bad arguments at once: give it a moment to say so.
    const early = await Promise.race([
      exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 150)),
    ]);
    if (!started || early) {
      throw new Error(`stress-ng exited at once: ${stderr.trim() || `code ${child.exitCode}`}`);
    }
    return new StressProcess(child, kind, percent, exited);
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * CPU time this stress-ng and its workers have used so far, in seconds: its own, its
   * running workers' and that of workers it has already reaped.
   */
  cpuSeconds(): number {
    const main = ticksOf(this.pid);
    if (!main) return this.lastCpuSeconds;
    let ticks = main[0] + main[1];
    for (const worker of childrenOf(this.pid)) ticks += ticksOf(worker)?.[0] ?? 0;
    // Never backwards: a worker read just before it was reaped is counted once.
    this.lastCpuSeconds = Math.max(this.lastCpuSeconds, ticks / TICKS_PER_SECOND);
    return this.lastCpuSeconds;
  }

  private lastCpuSeconds = 0;

  describe(workers: number): string {
    const who = workers === 0 ? 'a worker per CPU' : `${workers} worker${workers === 1 ? '' : 's'}`;
    return `stress-ng pid ${this.pid}, ${who} at ${this.percent} % ${this.kind}`;
  }

  /** Stops stress-ng and every worker; resolves once the main process has exited. */
  async stop(): Promise<void> {
    if (this.running) {
      try {
        process.kill(-this.pid, 'SIGKILL');
      } catch {
        // Already gone between the check and the signal.
      }
    }
    await this.exited;
  }
}
