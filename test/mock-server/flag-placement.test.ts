import { describe, expect, it } from 'vitest';
import { createEventBus } from '../../mock-server/bus';
import { ManualClock } from '../../mock-server/clock';
import type { ServerContext } from '../../mock-server/context';
import type { CohortUser } from '../../mock-server/flags/cohort';
import type { FlagModule } from '../../mock-server/flags/flag-module';
import { flagPlacements } from '../../mock-server/flags/flag-placement';
import { reserveHosts } from '../../mock-server/simulation/traffic-split';
import { newCheckoutFlag, type Flag } from '../../src/domain/flags';
import type { Instance } from '../../src/domain';

const FLAGS = 50;
const users: CohortUser[] = Array.from({ length: 100 }, (_, i) => ({
  id: `u${i}`,
  email: `u${i}@example.com`,
  country: 'NL',
  company: 'acme',
}));
const hosts = Array.from(
  { length: 10 },
  (_, i) =>
    ({
      id: `h${i}`,
      hostId: `h${i}`,
      kind: 'host',
      labels: { version: 'stable', zone: `z${i % 3}` },
    }) as unknown as Instance,
);

/** A fleet of one service and `FLAGS` flags whose on-cohort is `onUsers` users, counting each placement. */
function setUp() {
  const clock = new ManualClock();
  const bus = createEventBus(clock);
  const state = { onUsers: 10, placements: 0, flagReads: 0 };
  const flagList: Flag[] = Array.from({ length: FLAGS }, (_, i) => ({
    ...newCheckoutFlag(),
    key: `flag-${i}`,
    services: ['checkout'],
    version: 1,
    createdAt: 0,
    updatedAt: 0,
    updatedBy: 'test',
  }));
  const cohort: FlagModule['cohort'] = (input) => {
    state.placements++;
    return { ...input, on: users.slice(0, state.onUsers), off: users.slice(state.onUsers) };
  };
  const flags = {
    flags: () => {
      state.flagReads += flagList.length;
      return flagList;
    },
    flagKeys: () => flagList.map((f) => f.key),
    flag: (key: string) => {
      state.flagReads++;
      return flagList.find((f) => f.key === key);
    },
    cohort,
    cohortAlone: cohort,
  } as unknown as FlagModule;
  const ctx = {
    bus,
    db: { open: true },
    backend: {
      inventory: {
        users: () => users,
        hasService: (service: string) => service === 'checkout',
        instancesOf: () => hosts,
        cohortHosts: (_service: string, _environment: string, onShare: number) =>
          reserveHosts(hosts, onShare),
      },
    },
  } as unknown as ServerContext;
  return { bus, state, placements: flagPlacements(ctx, flags) };
}

/** Lets the event loop turn until `done` holds (at most 10 000 turns); returns how many it took. */
async function turnsUntil(done: () => boolean): Promise<number> {
  for (let turns = 0; turns < 10_000; turns++) {
    if (done()) return turns;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error('the placements never settled');
}

const shares = (placements: ReturnType<typeof setUp>['placements']) =>
  new Set(placements.splitsOf('checkout', 'staging').map((split) => split.onShare));

describe('flag placements after a segment edit', () => {
  it('places every flag again over many turns of the event loop, routing as before until then', async () => {
    const { bus, state, placements } = setUp();
    await turnsUntil(() => placements.splitsOf('checkout', 'staging').length === FLAGS);
    expect(shares(placements)).toEqual(new Set([0.1]));

    state.onUsers = 20;
    state.placements = 0;
    state.flagReads = 0;
    bus.publish({ type: 'resource', resource: 'segments', id: 'employees', change: 'updated' });
    // The edit's own request reads no flag: each is read in its own step, later.
    expect(state.flagReads).toBe(0);
    // The tick right after the edit does none of the work and routes by the old cohorts; asked
    // again and again (once per service and environment), it counts what is left once.
    expect(shares(placements)).toEqual(new Set([0.1]));
    const readsAfterOneAsk = state.flagReads;
    for (let i = 0; i < 20; i++) shares(placements);
    expect(state.flagReads).toBe(readsAfterOneAsk);
    expect(state.placements).toBe(0);

    // How many turns it takes depends on the machine's speed (a slice is time-bound): not asserted.
    await turnsUntil(() => shares(placements).size === 1 && shares(placements).has(0.2));
    expect(placements.splitsOf('checkout', 'staging')).toHaveLength(FLAGS);
    expect(state.placements).toBe(FLAGS * 4);
  });

  it('places one changed flag at once, so the next tick already routes by it', async () => {
    const { bus, state, placements } = setUp();
    await turnsUntil(() => placements.splitsOf('checkout', 'staging').length === FLAGS);
    state.onUsers = 30;
    bus.publish({ type: 'resource', resource: 'flags', id: 'flag-7', change: 'updated' });
    const split = placements.splitsOf('checkout', 'staging').find((s) => s.flagKey === 'flag-7');
    expect(split?.onShare).toBe(0.3);
  });
});
