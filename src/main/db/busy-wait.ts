import { AppError } from '../errors'
import { isBusyError, withBusyTimeout } from './errors'
import { lockHolderText } from './lock-note'
import type { Db } from './open'

/** How long one try waits inside SQLite (blocking the thread) before waiting outside it. */
const TRY_MS = 100
const RETRY_MS = 250
/** How long a long job (a run's end, a scoring pass) waits for another process's write lock. */
export const WRITE_PATIENCE_MS = 15 * 60_000

export interface WriteWaitOptions {
  patienceMs?: number
  /** Called once per wait, with whom it waits for ('an import … holds the database's write lock'). */
  onWait?: (holder: string) => void
}

/**
 * Runs a synchronous write (a transaction). While another process holds the database's write
 * lock — an import — it waits with the event loop free and tries again, up to the patience; then
 * it fails with one line naming the holder. Other errors are thrown at once.
 */
export async function writeWhenFree<T>(db: Db, write: () => T, options: WriteWaitOptions = {}): Promise<T> {
  const patience = options.patienceMs ?? WRITE_PATIENCE_MS
  let since: number | null = null
  for (;;) {
    try {
      return withBusyTimeout(db, TRY_MS, write)
    } catch (e) {
      if (!isBusyError(e)) throw e
      const now = Date.now()
      if (since === null) {
        since = now
        options.onWait?.(lockHolderText(db.name))
      } else if (now - since > patience) {
        throw new AppError(
          'unavailable',
          `The database stayed locked for ${Math.round((now - since) / 1000)} s (${lockHolderText(db.name)}); try again when it is free.`,
          { cause: e },
        )
      }
      await new Promise((r) => setTimeout(r, RETRY_MS))
    }
  }
}
