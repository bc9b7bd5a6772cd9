import { timelineDraftForEvent } from '../../src/domain';
import type { CoreContext } from '../context';
import type { GamedayStore } from './gameday-store';

/**
 * Fills the timelines of the game days in their window from the stream: experiment
 * started / stepped / aborted / halted, halt all, flags turned off. Each line is stored,
 * so the timeline survives restarts and reads the same for everyone.
 */
export function recordTimelineFromEvents(ctx: CoreContext, store: GamedayStore): () => void {
  return ctx.bus.subscribe((record) => {
    const { event } = record;
    if (event.type === 'metrics') return;
    if (event.type === 'resource' && event.resource !== 'flags') return;
    const touched: string[] = [];
    ctx.db.transaction(() => {
      for (const gameday of store.inWindowAt(record.at)) {
        const draft = timelineDraftForEvent(event, record.at, gameday);
        if (!draft) continue;
        store.addTimelineEntry(gameday.id, draft);
        touched.push(gameday.id);
      }
    })();
    for (const id of touched)
      ctx.bus.publish({ type: 'resource', resource: 'gamedays', id, change: 'timeline' });
  });
}
