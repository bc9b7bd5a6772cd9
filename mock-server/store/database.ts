import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { registerSecretHash } from '../secrets';

export type Db = Database.Database;

export interface Migration {
  /** Unique and stable: the migrations table remembers which ones ran. */
  id: string;
  sql: string;
}

const CORE_MIGRATIONS: Migration[] = [
  {
    id: '001-experiments',
    sql: `
      CREATE TABLE experiments (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        lineage_id TEXT NOT NULL,
        environment TEXT NOT NULL,
        state TEXT NOT NULL,
        version INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX experiments_state ON experiments (state);`,
  },
  {
    id: '002-audit',
    sql: `
      CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        before TEXT,
        after TEXT
      );`,
  },
  {
    id: '003-audit-comment',
    sql: `ALTER TABLE audit ADD COLUMN comment TEXT;`,
  },
];

/** Opens (and creates) the store: a file under the data folder, or ':memory:' for tests. */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  if (file !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  registerSecretHash(db);
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)',
  );
  migrate(db, CORE_MIGRATIONS);
  return db;
}

/** Applies the migrations not yet applied, each in its own transaction. Feature modules call it too. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  const applied = db.prepare('SELECT 1 FROM migrations WHERE id = ?');
  const record = db.prepare('INSERT INTO migrations (id, applied_at) VALUES (?, ?)');
  for (const migration of migrations) {
    if (applied.get(migration.id)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, Date.now());
    })();
  }
}
