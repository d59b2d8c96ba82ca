import { dbListeners } from '../db/listeners'
import type { Db } from '../db/open'
import { outcomeError, type BatchOutcome } from '../db/writer/batch'
import { writerFor } from '../db/writer/thread'
import type { AuditRow } from './chain'
import { appendRecords, AUDIT_HEAD_KEY, type AuditRecord, type ChainHead } from './append'

export { appendRecords, AUDIT_HEAD_KEY, COMPLETES_KEY, INTENT_OUTCOME } from './append'
export type { AuditRecord, ChainHead } from './append'

export type AppendListener = (row: AuditRow) => void

const appended = dbListeners<AuditRow>()

/** Be told of every row appended through this database handle (the UI refreshes on it). */
export function onAuditAppend(db: Db, listener: AppendListener): () => void {
  return appended.on(db, listener)
}

/**
 * Appends one row to the hash-chained audit log. The read of the chain head and the insert happen
 * in one IMMEDIATE transaction, so concurrent writers (many requests in flight, or the CLI and the
 * app on the same file) serialize on SQLite's write lock and never fork the chain. Inside an outer
 * transaction it joins it (a savepoint), so the row commits or rolls back with the change it records.
 */
export function appendAudit(db: Db, record: AuditRecord): AuditRow {
  const rows = appendRecords(db, [record])
  notify(db, rows)
  return rows[0]!
}

interface Queued {
  record: AuditRecord
  resolve: (row: AuditRow) => void
  reject: (e: unknown) => void
  /** Write-ahead: resolve only if the row was committed, never as part of a caller's open transaction. */
  writeAhead?: boolean
}

const queues = new WeakMap<Db, Queued[]>()

/** How long queued rows keep waiting for a write lock held by another connection (an import). */
export const BUSY_GIVE_UP_MS = 30_000
const BUSY_FIRST_RETRY_MS = 5
const BUSY_MAX_RETRY_MS = 250

/** Per database: since when the queue has been waiting for the write lock, and the next delay. */
const busy = new WeakMap<Db, { since: number; delayMs: number }>()

/**
 * Appends one row like appendAudit, committed together with the other rows queued in the same turn
 * of the event loop (group commit: one transaction, one chain-head update). Resolves once the row
 * has committed; the fields are exactly those given, so what is recorded does not depend on when.
 */
export function appendAuditSoon(db: Db, record: AuditRecord): Promise<AuditRow> {
  return enqueue(db, record, false)
}

/**
 * Write-ahead append: like appendAuditSoon, the row commits with the others queued in the same turn
 * of the event loop, and the promise resolves only once that transaction has COMMITTED — the caller
 * must wait for it before doing what the row announces. Rejects (and writes nothing) if a
 * transaction is open on the connection at flush time, where the row could only commit with it.
 */
export function appendAuditWriteAhead(db: Db, record: AuditRecord): Promise<AuditRow> {
  return enqueue(db, record, true)
}

function enqueue(db: Db, record: AuditRecord, writeAhead: boolean): Promise<AuditRow> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(db)
    if (!queue) {
      queues.set(db, (queue = []))
      setImmediate(() => flushQueue(db))
    }
    queue.push({ record, resolve, reject, writeAhead })
  })
}

/** Per database: a batch of queued rows is being committed (the reply flushes what came meanwhile). */
const flushing = new WeakSet<Db>()

/**
 * Per database: a writer that commits its own batches with the queued rows (the dispatcher's
 * commit queue). Asked first when rows are to be flushed: if it has writes waiting it commits them
 * now, taking the rows along (`takeQueuedAudit`) — one transaction instead of two, and a request's
 * intent does not queue behind a batch of results in the writer.
 */
const carriers = new WeakMap<Db, () => boolean>()

/** Registers the carrier of `db`'s queued rows; returns what removes it. */
export function carryQueuedAudit(db: Db, carrier: () => boolean): () => void {
  carriers.set(db, carrier)
  return () => {
    if (carriers.get(db) === carrier) carriers.delete(db)
  }
}

function flushQueue(db: Db): void {
  if (flushing.has(db)) return
  let batch = queues.get(db)
  if (!batch || batch.length === 0) {
    busy.delete(db)
    return
  }
  if (!busy.has(db) && carriers.get(db)?.()) return
  queues.delete(db)
  const writer = writerFor(db)
  if (writer.sharesConnection && db.inTransaction) {
    for (const q of batch.filter((x) => x.writeAhead)) {
      q.reject(
        new Error(
          'a transaction is open on this connection, so the write-ahead audit row could not be committed first',
        ),
      )
    }
    batch = batch.filter((x) => !x.writeAhead)
    if (batch.length === 0) return
  }
  const sent = batch
  flushing.add(db)
  void writer.commit({ audit: sent.map((q) => q.record), writes: [], busyMs: 0 }).then((outcome) => {
    flushing.delete(db)
    settleFlush(db, sent, outcome)
    if (queues.has(db) && !busy.has(db)) setImmediate(() => flushQueue(db))
  })
}

function settleFlush(db: Db, batch: Queued[], outcome: BatchOutcome): void {
  if (outcome.ok) {
    busy.delete(db)
    batch.forEach((q, i) => q.resolve(outcome.audit[i]!))
    notify(db, outcome.audit)
    return
  }
  if (outcome.busy) {
    waitForLock(db, batch, outcomeError(outcome))
    return
  }
  // The batch was rolled back: append each on its own, so each caller learns its own outcome.
  busy.delete(db)
  settleOneByOne(db, batch)
}

/**
 * For a writer that commits its own batch (the dispatcher's group commit): takes the rows queued
 * so far, to be appended in its transaction — one commit per batch instead of two. Returns the
 * records and what to call once that transaction has committed (with the rows appended: their
 * callers, write-ahead ones included, are told only then) or rolled back (the rows go back to the
 * head of the queue, to be flushed on their own). Null when nothing is queued, a batch of the
 * queue is being committed (no row overtakes another), or the queue is waiting for another
 * connection's lock.
 */
export function takeQueuedAudit(
  db: Db,
): { records: AuditRecord[]; committed(rows: AuditRow[]): void; rolledBack(): void } | null {
  const batch = queues.get(db)
  if (!batch || batch.length === 0 || busy.has(db) || flushing.has(db)) return null
  queues.delete(db)
  return {
    records: batch.map((q) => q.record),
    committed: (rows) => {
      batch.forEach((q, i) => q.resolve(rows[i]!))
      notify(db, rows)
    },
    rolledBack: () => requeue(db, batch),
  }
}

/** Puts rows back at the head of the queue (no row overtakes another) and makes sure a flush comes. */
function requeue(db: Db, batch: Queued[]): void {
  const later = queues.get(db)
  queues.set(db, [...batch, ...(later ?? [])])
  if (!later) setImmediate(() => flushQueue(db))
}

/**
 * Another connection holds the write lock (an import keeps its transaction open while a file
 * streams in). Waiting for it inside SQLite (busy_timeout) would block this thread — and with it
 * whatever the lock holder needs to finish — so queued rows wait here instead, with the event loop
 * running: the batch goes back to the head of the queue and is retried with a growing delay, until
 * BUSY_GIVE_UP_MS have passed; then every row in it fails with the error. Write-ahead callers send
 * nothing meanwhile.
 */
function waitForLock(db: Db, batch: Queued[], error: unknown): void {
  const now = Date.now()
  const state = busy.get(db) ?? { since: now, delayMs: BUSY_FIRST_RETRY_MS }
  if (now - state.since >= BUSY_GIVE_UP_MS) {
    busy.delete(db)
    const e = new Error(
      `The audit log stayed locked by another connection for ${Math.round((now - state.since) / 1000)} s: ${(error as Error).message}`,
      { cause: error },
    )
    for (const q of batch) q.reject(e)
    return
  }
  // Rows queued meanwhile stay behind the batch (no row overtakes another); no other flush is
  // scheduled while a queue exists, so the timer is the only one.
  queues.set(db, [...batch, ...(queues.get(db) ?? [])])
  busy.set(db, { since: state.since, delayMs: Math.min(state.delayMs * 2, BUSY_MAX_RETRY_MS) })
  setTimeout(() => flushQueue(db), state.delayMs)
}

/** Since when this connection's queued audit rows have waited for another connection's write lock (null: they are not waiting). */
export function auditWaitingForLockSince(db: Db): number | null {
  return busy.get(db)?.since ?? null
}

function settleOneByOne(db: Db, batch: Queued[]): void {
  for (const q of batch) {
    try {
      q.resolve(appendAudit(db, q.record))
    } catch (e) {
      q.reject(e)
    }
  }
}

function notify(db: Db, rows: AuditRow[]): void {
  for (const row of rows) appended.emit(db, row)
}

export function readChainHead(db: Db): ChainHead | null {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(AUDIT_HEAD_KEY) as
    { value: string } | undefined
  if (!row) return null
  try {
    const v = JSON.parse(row.value) as Partial<ChainHead>
    return typeof v.seq === 'number' && typeof v.hash === 'string' ? { seq: v.seq, hash: v.hash } : null
  } catch {
    return null
  }
}
