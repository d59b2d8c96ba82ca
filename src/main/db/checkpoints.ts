import type { Db } from './open'

/**
 * Keeps WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside whichever
 * commit crosses its threshold; here it is switched off and a timer checkpoints every `everyMs`
 * instead (PASSIVE: it never waits for the writers), and closing checkpoints what is left
 * (TRUNCATE). While the database's writer thread commits (a run, a scoring pass: db/writer), the
 * writer checkpoints between its own batches — only there, between two commits, can a checkpoint
 * copy every frame and let the WAL restart from its beginning — and the timer leaves it alone.
 *
 * A background checkpoint that fails (disk full) loses nothing — the WAL keeps the data — and the
 * next one tries again; the final one, at close, reports its failure.
 */
export interface CheckpointOptions {
  everyMs?: number
  /** True while another connection checkpoints (the writer thread, busy). */
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
