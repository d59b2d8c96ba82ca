import type Database from 'better-sqlite3'

/**
 * Makes every `db.transaction(fn)` of this connection begin IMMEDIATE (taking the write lock at
 * BEGIN). A deferred transaction that reads and then writes fails at once with SQLITE_BUSY — the
 * busy timeout does not apply — when another connection committed in between (WAL cannot upgrade a
 * stale snapshot). Another process commits often: an import writes in chunk transactions
 * (../benchmarks/staging.ts), a second run writes its answers. Taking the lock first turns that
 * into a wait. `.deferred` stays available for a read-only transaction; a read-only connection is
 * left as it is (it cannot take the write lock).
 */
export function preferImmediateTransactions(db: Database.Database): void {
  if (db.readonly) return
  const original = db.transaction.bind(db)
  db.transaction = ((fn: (...args: unknown[]) => unknown) => {
    const t = original(fn)
    const immediate = Object.assign((...args: unknown[]) => t.immediate(...args), t)
    immediate.default = t.immediate
    immediate.deferred = t.deferred
    immediate.immediate = t.immediate
    immediate.exclusive = t.exclusive
    return immediate
  }) as typeof db.transaction
}
