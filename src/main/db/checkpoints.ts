import type { Db } from './open'

/**
 * Moves WAL checkpoints off the commit path: SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold (a model request's audit row, a result); here a timer checkpoints
 * instead (PASSIVE: it never waits for a writer), between two commits of this connection — where
 * it can copy every frame and let the WAL restart from its beginning — and closing checkpoints
 * what is left (TRUNCATE). The WAL stays bounded either way. A background checkpoint that fails
 * (disk full) loses nothing — the WAL keeps the data — and the next one tries again; the final
 * one, at close, reports its failure.
 *
 * (Measured on two cores, bench/run-throughput.ts and bench/cli-import.ts: moving the copying to a
 * thread with its own connection at normal priority gained nothing — the thread competed for the
 * same cores, and a checkpoint racing the writer never lets the WAL restart.)
 *
 * While a checkpoint helper copies for a bulk import (./checkpoint-helper.ts) the timer leaves the
 * copying to it: a tick that found the helper between two passes would copy, on this thread, all
 * that was written since the helper's last pass began — tens of megabytes in a large import.
 */
export function checkpointInBackground(db: Db, everyMs = 1000): () => void {
  db.pragma('wal_autocheckpoint = 0')
  const timer = setInterval(() => {
    if (assisted.has(db.name)) return
    try {
      db.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Retried at the next tick; the checkpoint at close reports a failure that persists.
    }
  }, everyMs)
  timer.unref()
  return () => {
    clearInterval(timer)
    if (db.open) db.pragma('wal_checkpoint(TRUNCATE)')
  }
}

/** Database files a checkpoint helper copies back now, with how many helpers. */
const assisted = new Map<string, number>()

/**
 * Marks `dbPath` as copied back by a checkpoint helper until the returned function is called:
 * the timers of checkpointInBackground on that file skip their ticks meanwhile.
 */
export function assistCheckpoints(dbPath: string): () => void {
  assisted.set(dbPath, (assisted.get(dbPath) ?? 0) + 1)
  let released = false
  return () => {
    if (released) return
    released = true
    const n = (assisted.get(dbPath) ?? 1) - 1
    if (n > 0) assisted.set(dbPath, n)
    else assisted.delete(dbPath)
  }
}
