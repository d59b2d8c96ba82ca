import Database from 'better-sqlite3'
import type { AppContext } from '../app/context'
import type { Db } from './open'

/**
 * A consistent read of the database for long reads done a page at a time (streamed exports): a
 * second, read-only connection inside one read transaction, so every page sees the database as it
 * was when the first page was read — a scoring pass committing meanwhile changes nothing in the
 * export — while the app's own connection stays free for writes (WAL: readers never block the
 * writer). An in-memory database has no second connection: its own connection is used.
 */
export interface Snapshot {
  db: Db
  close(): void
}

export function openSnapshot(ctx: Pick<AppContext, 'db' | 'dbPath' | 'nativeBinding'>): Snapshot {
  if (!ctx.dbPath || ctx.dbPath === ':memory:') return { db: ctx.db, close: () => undefined }
  const db = new Database(ctx.dbPath, {
    readonly: true,
    fileMustExist: true,
    ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}),
  })
  try {
    db.pragma('busy_timeout = 5000')
    db.exec('BEGIN')
    db.prepare('SELECT COUNT(*) FROM runs').get() // the snapshot starts at the first read
  } catch (e) {
    db.close()
    throw e
  }
  return {
    db,
    close: () => {
      try {
        if (db.inTransaction) db.exec('COMMIT')
      } finally {
        db.close()
      }
    },
  }
}
