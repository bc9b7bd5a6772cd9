/** Time as the server sees it. Injected, so tests run minutes of simulated time in milliseconds. */
export interface Clock {
  /** epoch ms */
  now(): number;
  /** Calls `fn` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(intervalMs, fn) {
    const timer = setInterval(fn, intervalMs);
    return () => clearInterval(timer);
  },
};

interface ManualTimer {
  id: number;
  intervalMs: number;
  dueAt: number;
  fn: () => void;
}

/** A clock that moves only when told to; due timers fire in time order as it moves. */
export class ManualClock implements Clock {
  private current: number;
  private timers = new Map<number, ManualTimer>();
  private nextId = 1;

  constructor(start = Date.UTC(2025, 0, 6, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  every(intervalMs: number, fn: () => void): () => void {
    if (!(intervalMs > 0)) throw new Error('interval must be above 0 ms');
    const id = this.nextId++;
    this.timers.set(id, { id, intervalMs, dueAt: this.current + intervalMs, fn });
    return () => this.timers.delete(id);
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: ManualTimer | undefined;
      for (const timer of this.timers.values()) {
        if (timer.dueAt <= target && (!next || timer.dueAt < next.dueAt)) next = timer;
      }
      if (!next) break;
      this.current = next.dueAt;
      next.dueAt += next.intervalMs;
      next.fn();
    }
    this.current = target;
  }
}
