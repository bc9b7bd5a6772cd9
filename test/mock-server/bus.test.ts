import { describe, expect, it } from 'vitest';
import {
  REPLAY_MAX_BYTES,
  REPLAY_MAX_EVENTS,
  REPLAY_WINDOW_MS,
  createEventBus,
} from '../../mock-server/bus';
import { ManualClock } from '../../mock-server/clock';
import type { StreamEvent } from '../../src/domain';

const event = (change: string): StreamEvent => ({ type: 'resource', resource: 'flags', change });

describe('the event bus', () => {
  it('numbers events one by one and replays those after a known id', () => {
    const bus = createEventBus(new ManualClock());
    const ids = ['a', 'b', 'c'].map((c) => bus.publish(event(c)));
    expect(ids).toEqual([1, 2, 3]);
    expect(bus.since(1)?.map((r) => r.id)).toEqual([2, 3]);
    expect(bus.since(3)).toEqual([]);
    expect(bus.since(0)?.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(bus.since(1)?.[0]?.frame).toBe(
      `id: 2\nevent: message\ndata: ${JSON.stringify(event('b'))}\n\n`,
    );
  });

  it('forgets events older than the replay window, and says so for an id it no longer has', () => {
    const clock = new ManualClock();
    const bus = createEventBus(clock);
    bus.publish(event('old'));
    bus.publish(event('old too'));
    clock.advance(REPLAY_WINDOW_MS + 1000);
    bus.publish(event('new'));
    expect(bus.since(2)?.map((r) => r.id)).toEqual([3]);
    expect(bus.since(1)).toBeNull();
    // An id from before a restart (higher than anything sent) also needs a full refetch.
    expect(bus.since(40)).toBeNull();
  });

  it('keeps at most REPLAY_MAX_BYTES of frames inside the window, the newest ones', () => {
    const clock = new ManualClock();
    const bus = createEventBus(clock);
    // ~6 kB each, like a metrics frame at a 100 ms tick: ten minutes would be ~35 MB.
    const big = (i: number): StreamEvent => ({
      type: 'resource',
      resource: 'flags',
      change: `${i}`.padEnd(6_000, 'x'),
    });
    const count = 3_000;
    for (let i = 1; i <= count; i++) {
      bus.publish(big(i));
      clock.advance(100);
    }
    let oldest = count;
    while (oldest > 1 && bus.since(oldest - 2) !== null) oldest--;
    const kept = bus.since(oldest - 1) ?? [];
    const bytes = kept.reduce((sum, record) => sum + record.frame.length, 0);
    expect(bytes).toBeLessThanOrEqual(REPLAY_MAX_BYTES);
    expect(bytes).toBeGreaterThan(REPLAY_MAX_BYTES - 7_000);
    expect(kept.at(-1)?.id).toBe(count);
    expect(kept.length).toBeLessThan(REPLAY_MAX_EVENTS);
    expect(bus.since(1)).toBeNull();
    // One frame larger than the whole bound is still kept until the next one comes.
    bus.publish(big(0));
    const huge: StreamEvent = { type: 'resource', resource: 'flags', change: 'y'.repeat(5e6) };
    const id = bus.publish(huge);
    expect(bus.since(id - 1)?.map((r) => r.id)).toEqual([id]);
  });

  it('delivers to every subscriber until it unsubscribes', () => {
    const bus = createEventBus(new ManualClock());
    const seen: number[] = [];
    const stop = bus.subscribe((r) => seen.push(r.id));
    bus.publish(event('a'));
    stop();
    bus.publish(event('b'));
    expect(seen).toEqual([1]);
    expect(bus.subscriberCount()).toBe(0);
  });
});
