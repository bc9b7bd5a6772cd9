import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Lease } from '../../agent/lease';

describe('the agent lease', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('removes every fault once the server has been silent for the timeout', () => {
    const expired = vi.fn();
    const lease = new Lease(2_000, expired);
    lease.renew();
    vi.advanceTimersByTime(1_999);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(lease.isExpired).toBe(true);
  });

  it('runs another full timeout each time the server is heard from', () => {
    const expired = vi.fn();
    const lease = new Lease(2_000, expired);
    lease.renew();
    for (let i = 0; i < 10; i += 1) {
      vi.advanceTimersByTime(1_500);
      lease.renew();
    }
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('expires once per silence, and holds again after the server is heard from', () => {
    const expired = vi.fn();
    const lease = new Lease(500, expired);
    lease.renew();
    vi.advanceTimersByTime(5_000);
    expect(expired).toHaveBeenCalledTimes(1);
    lease.renew();
    expect(lease.isExpired).toBe(false);
    vi.advanceTimersByTime(500);
    expect(expired).toHaveBeenCalledTimes(2);
  });

  it('never expires after it is stopped', () => {
    const expired = vi.fn();
    const lease = new Lease(500, expired);
    lease.renew();
    lease.stop();
    vi.advanceTimersByTime(5_000);
    expect(expired).not.toHaveBeenCalled();
  });
});
