import {
  timelineDraftForEvent,
  timelineDraftForRollout,
  type Gameday,
  type Rollout,
  type TimelineDraft,
} from '../../src/domain';
import type { CoreContext } from '../context';
import { rolloutStore, type RolloutStore } from '../rollouts/rollout-store';
import { experimentStore } from '../store/experiment-store';
import type { GamedayStore } from './gameday-store';

type DraftFor = (gameday: Gameday) => TimelineDraft | null;

/**
 * Fills the timelines of the game days in their window from the stream: experiment
 * started / stepped / aborted / halted, halt all, flags turned off, rollouts held by a chaos
 * abort or paused by halt all. Each line is stored, so the timeline survives restarts and reads
 * the same for everyone.
 */
export function recordTimelineFromEvents(ctx: CoreContext, store: GamedayStore): () => void {
  const experiments = experimentStore(ctx.db);
  // Made on the first rollout event: the rollouts module has set up its table by then.
  let rollouts: RolloutStore | null = null;

  /**
   * A rollout's event carries only its id: the line is written from the rollout as stored once
   * its change committed (read once, and only when a game day is in its window).
   */
  function rolloutDrafts(id: string | undefined, change: string, at: number): DraftFor {
    let rollout: Rollout | null | undefined;
    return (gameday) => {
      if (rollout === undefined) {
        rollouts ??= rolloutStore(ctx.db);
        rollout = id ? rollouts.get(id) : null;
      }
      if (!rollout) return null;
      const exercised = gameday.experimentIds.flatMap((e) => experiments.get(e) ?? []);
      return timelineDraftForRollout(change, rollout, at, gameday, exercised);
    };
  }

  return ctx.bus.subscribe((record) => {
    const { event } = record;
    if (event.type === 'metrics') return;
    if (event.type === 'resource' && event.resource !== 'flags' && event.resource !== 'rollouts')
      return;
    const draftFor: DraftFor =
      event.type === 'resource' && event.resource === 'rollouts'
        ? rolloutDrafts(event.id, event.change, record.at)
        : (gameday) => timelineDraftForEvent(event, record.at, gameday);
    const touched: string[] = [];
    ctx.db.transaction(() => {
      for (const gameday of store.inWindowAt(record.at)) {
        const draft = draftFor(gameday);
        if (!draft) continue;
        store.addTimelineEntry(gameday.id, draft);
        touched.push(gameday.id);
      }
    })();
    for (const id of touched)
      ctx.bus.publish({ type: 'resource', resource: 'gamedays', id, change: 'timeline' });
  });
}
