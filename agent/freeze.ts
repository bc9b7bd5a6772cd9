import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Instance shutdown on a process the agent may not own: SIGSTOP, and SIGCONT when the fault
 * ends. Both signals are sent by a small watchdog shell whose stdin is a pipe held by the
 * agent: closing the pipe ends the fault, and so does the agent dying, however it dies,
 * because the kernel closes the pipe then. No stopped process outlives its agent.
 */
export class Freeze {
  private constructor(
    private readonly watchdog: ChildProcess,
    readonly pid: number,
    private readonly exited: Promise<void>,
  ) {}

  static async start(pid: number): Promise<Freeze> {
    process.kill(pid, 0); // throws if there is no such process
    const watchdog = spawn(
      'sh',
      [
        '-c',
        'kill -STOP "$1" && echo stopped; cat >/dev/null; kill -CONT "$1"',
        'freeze',
        String(pid),
      ],
      { stdio: ['pipe', 'pipe', 'ignore'], detached: true },
    );
    const exited = once(watchdog, 'exit').then(() => undefined);
    const stopped = await Promise.race([
      once(watchdog.stdout!, 'data').then(() => true),
      exited.then(() => false),
    ]);
    if (!stopped) throw new Error(`process ${pid} could not be stopped`);
    watchdog.stdout?.resume();
    return new Freeze(watchdog, pid, exited);
  }

  /** Continues the process; resolves once the watchdog has sent SIGCONT. */
  async stop(): Promise<void> {
    this.watchdog.stdin?.end();
    await this.exited;
  }
}
