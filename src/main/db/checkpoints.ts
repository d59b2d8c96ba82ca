import type { Db } from './open'

/**
 * Keeps WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside whichever
 * commit crosses its threshold; here it is switched off and a timer checkpoints every `everyMs`
 * instead (PASSIVE: it never waits for the writers), and closing checkpoints what is left
 * (TRUNCATE). Where the database has a writer thread (db/writer) the timer's checkpoint runs
 * there, on the writer's connection, off the main thread (an import's WAL took a tenth of it);
 * while the writer commits (a run, a scoring pass) it checkpoints between its own batches — only
 * there, between two commits, can a checkpoint copy every frame and let the WAL restart.
 *
 * A background checkpoint that fails (disk full) loses nothing — the WAL keeps the data — and the
 * next one tries again; the final one, at close, reports its failure.
 */
export interface CheckpointOptions {
  everyMs?: number
  /** Hands the checkpoint to another thread; false when this connection must run it. */
  elsewhere?: () => boolean
}

/** Starts background checkpoints; returns what stops them and checkpoints what is left. */
export function checkpointInBackground(db: Db, options: CheckpointOptions = {}): () => void {
  db.pragma('wal_autocheckpoint = 0')
  const timer = setInterval(() => {
    if (options.elsewhere?.()) return
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Retried at the next tick; the checkpoint at close reports a failure that persists.
    }
  }, options.everyMs ?? 1000)
  timer.unref()
  return () => {
    clearInterval(timer)
    if (db.open) db.pragma('wal_checkpoint(TRUNCATE)')
  }
}
