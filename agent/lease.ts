/** Timers the lease runs on; tests pass their own. */
interface LeaseTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemTimers: LeaseTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * The agent's dead man's switch: every fault is held on a lease that the server renews by
 * being heard from. When nothing is heard for `timeoutMs`, `onExpire` runs once (the agent
 * removes every fault it holds); hearing from the server again starts a new lease.
 */
export class Lease {
  private handle: unknown = null;
  private expired = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onExpire: () => void,
    private readonly timers: LeaseTimers = systemTimers,
  ) {}

  /** The server was heard from: the lease runs another `timeoutMs` from now. */
  renew(): void {
    this.expired = false;
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = this.timers.setTimeout(() => {
      this.handle = null;
      this.expired = true;
      this.onExpire();
    }, this.timeoutMs);
  }

  /** True after the lease ran out and before the server was heard from again. */
  get isExpired(): boolean {
    return this.expired;
  }

  stop(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }
}
