import { z } from 'zod';
import {
  gamedaySchema,
  timelineEntrySchema,
  orderTimeline,
  type Gameday,
  type TimelineDraft,
  type TimelineEntry,
} from '../../src/domain';
import type { Db, Migration } from '../store/database';
import { documentReader, rowReader } from '../store/records';

export const GAMEDAY_MIGRATIONS: Migration[] = [
  {
    id: '500-gamedays',
    sql: `
      CREATE TABLE gamedays (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        starts_at INTEGER NOT NULL,
        ends_at INTEGER NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX gamedays_window ON gamedays (starts_at, ends_at);
      CREATE TABLE gameday_timeline (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        gameday_id TEXT NOT NULL REFERENCES gamedays (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        experiment_id TEXT,
        text TEXT NOT NULL,
        by TEXT
      );
      CREATE INDEX gameday_timeline_order ON gameday_timeline (gameday_id, at, id);`,
  },
];

/** A timeline row as SQLite holds it, read into the domain's entry (columns renamed). */
const timelineRowSchema = z
  .object({
    id: z.number().int(),
    gameday_id: z.string(),
    at: z.number(),
    kind: z.string(),
    experiment_id: z.string().nullable(),
    text: z.string(),
    by: z.string().nullable(),
  })
  .transform((row) => ({
    id: String(row.id),
    gamedayId: row.gameday_id,
    at: row.at,
    kind: row.kind,
    experimentId: row.experiment_id,
    text: row.text,
    by: row.by,
  }))
  .pipe(timelineEntrySchema);

/** Game days as JSON documents (window columns beside them for queries), and their timelines. */
export function gamedayStore(db: Db) {
  const insert = db.prepare(
    'INSERT INTO gamedays (id, starts_at, ends_at, version, body) VALUES (@id, @startsAt, @endsAt, @version, @body)',
  );
  const update = db.prepare(
    'UPDATE gamedays SET starts_at = @startsAt, ends_at = @endsAt, version = @version, body = @body WHERE id = @id',
  );
  const remove = db.prepare('DELETE FROM gamedays WHERE id = ?');
  const byId = db.prepare('SELECT id, version, body FROM gamedays WHERE id = ?');
  const all = db.prepare(
    'SELECT id, version, body FROM gamedays ORDER BY starts_at DESC, seq DESC',
  );
  const inWindow = db.prepare(
    'SELECT id, version, body FROM gamedays WHERE starts_at <= ? AND ends_at > ? ORDER BY seq',
  );
  const endingAfter = db.prepare(
    'SELECT id, version, body FROM gamedays WHERE ends_at > ? ORDER BY starts_at, seq LIMIT ?',
  );
  const addEntry = db.prepare(
    'INSERT INTO gameday_timeline (gameday_id, at, kind, experiment_id, text, by) ' +
      'VALUES (@gamedayId, @at, @kind, @experimentId, @text, @by)',
  );
  const entries = db.prepare('SELECT * FROM gameday_timeline WHERE gameday_id = ? ORDER BY at, id');

  const row = (gameday: Gameday) => ({
    id: gameday.id,
    startsAt: gameday.startsAt,
    endsAt: gameday.endsAt,
    version: gameday.version,
    body: JSON.stringify(gameday),
  });
  const allEntries = db.prepare('SELECT * FROM gameday_timeline');
  const timelineRows = rowReader(db, 'gameday-timeline', timelineRowSchema, () => allEntries.all());
  const reader = documentReader(db, 'gameday', gamedaySchema, () => all.all());

  return {
    insert(gameday: Gameday): void {
      insert.run(row(gameday));
    },
    save(gameday: Gameday): void {
      update.run(row(gameday));
    },
    delete(id: string): void {
      remove.run(id);
    },
    get(id: string): Gameday | null {
      return reader.one(byId.get(id));
    },
    /** Latest start first. */
    list(): Gameday[] {
      return reader.many(all.all());
    },
    /** The game days whose window contains `at` (epoch ms). */
    inWindowAt(at: number): Gameday[] {
      return reader.many(inWindow.all(at, at));
    },
    /** Game days not over at `at` (epoch ms), soonest first, at most `limit`. */
    endingAfter(at: number, limit: number): Gameday[] {
      return reader.many(endingAfter.all(at, limit));
    },
    addTimelineEntry(gamedayId: string, draft: TimelineDraft): TimelineEntry {
      const result = addEntry.run({ gamedayId, ...draft });
      return { id: String(result.lastInsertRowid), gamedayId, ...draft };
    },
    /** Oldest first; ties in the order they were recorded. */
    timeline(gamedayId: string): TimelineEntry[] {
      return orderTimeline(timelineRows.many(entries.all(gamedayId)));
    },
  };
}
export type GamedayStore = ReturnType<typeof gamedayStore>;
