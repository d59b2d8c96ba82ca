import { dbListeners } from '../db/listeners'
import type { Db } from '../db/open'
import { isBusyError, withBusyTimeout } from '../db/errors'
import type { AuditKind, EgressPurpose } from '../../shared/api/models'
import { canonicalJson, GENESIS_HASH, rowHash, type AuditRow } from './chain'

/** What a caller records; the log adds seq, time, the chain links and the hash. */
export interface AuditRecord {
  kind: AuditKind
  actor: string
  endpointId?: number | null
  host?: string
  port?: number | null
  address?: string
  purpose?: EgressPurpose | Record<string, never>
  bytesSent?: number
  bytesReceived?: number
  bodySha256?: string
  outcome: string
  detail?: string
  /** ISO-8601 UTC; defaults to now. */
  ts?: string
  /**
   * The seq of the write-ahead intent row this outcome row completes. Stored in purpose_json under
   * COMPLETES_KEY (the purpose of the outcome is the purpose of its intent), so it is hashed and
   * exported with the row and needs no schema change.
   */
  completes?: number
}

/** The outcome of a write-ahead intent row: committed before the request's first byte is sent. */
export const INTENT_OUTCOME = 'intent'

/** The purpose_json key of an outcome row naming the seq of the intent row it completes. */
export const COMPLETES_KEY = 'completesSeq'

/** The settings key holding the chain head {seq, hash}, updated in the same transaction as each append. */
export const AUDIT_HEAD_KEY = 'audit.chain_head'

export interface ChainHead {
  seq: number
  hash: string
}

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
  const rows = appendTx(db)([record])
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

function flushQueue(db: Db): void {
  let batch = queues.get(db)
  if (!batch || batch.length === 0) {
    busy.delete(db)
    return
  }
  queues.delete(db)
  if (db.inTransaction) {
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
  let rows: AuditRow[]
  try {
    rows = withBusyTimeout(db, 0, () => appendTx(db)(batch.map((q) => q.record)))
  } catch (e) {
    if (isBusyError(e)) {
      waitForLock(db, batch, e)
      return
    }
    // The batch was rolled back: append each on its own, so each caller learns its own outcome.
    busy.delete(db)
    settleOneByOne(db, batch)
    return
  }
  busy.delete(db)
  batch.forEach((q, i) => q.resolve(rows[i]!))
  notify(db, rows)
}

/**
 * For a writer that commits its own batch (the dispatcher's group commit): called inside its open
 * transaction, appends the rows queued so far so they commit with it — one transaction per turn
 * instead of two. Returns what to call once that transaction has committed (the rows' callers,
 * write-ahead ones included, are told only then) or rolled back (the rows go back to the head of
 * the queue, to be flushed on their own). Null when nothing is queued or the queue is waiting for
 * another connection's lock.
 */
export function joinQueuedAudit(db: Db): { committed(): void; rolledBack(): void } | null {
  const batch = queues.get(db)
  if (!batch || batch.length === 0 || busy.has(db) || !db.inTransaction) return null
  queues.delete(db)
  let rows: AuditRow[]
  try {
    rows = appendTx(db)(batch.map((q) => q.record))
  } catch (e) {
    requeue(db, batch)
    throw e
  }
  return {
    committed: () => {
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

const txCache = new WeakMap<Db, (records: AuditRecord[]) => AuditRow[]>()

function appendTx(db: Db): (records: AuditRecord[]) => AuditRow[] {
  const cached = txCache.get(db)
  if (cached) return cached
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1')
  const insert = db.prepare(`INSERT INTO audit_log
    (seq, ts, kind, actor, endpoint_id, host, port, address, purpose_json, bytes_sent, bytes_received, body_sha256, outcome, detail, prev_hash, hash)
    VALUES (@seq, @ts, @kind, @actor, @endpoint_id, @host, @port, @address, @purpose_json, @bytes_sent, @bytes_received, @body_sha256, @outcome, @detail, @prev_hash, @hash)`)
  const setHead = db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  )
  const tx = db.transaction((records: AuditRecord[]): AuditRow[] => {
    let prev = last.get() as ChainHead | undefined
    const rows = records.map((r) => {
      const base: Omit<AuditRow, 'hash'> = {
        seq: (prev?.seq ?? 0) + 1,
        ts: r.ts ?? new Date().toISOString(),
        kind: r.kind,
        actor: r.actor,
        endpoint_id: r.endpointId ?? null,
        host: r.host ?? '',
        port: r.port ?? null,
        address: r.address ?? '',
        purpose_json: canonicalJson(
          r.completes === undefined
            ? (r.purpose ?? {})
            : { ...(r.purpose ?? {}), [COMPLETES_KEY]: r.completes },
        ),
        bytes_sent: Math.max(0, Math.trunc(r.bytesSent ?? 0)),
        bytes_received: Math.max(0, Math.trunc(r.bytesReceived ?? 0)),
        body_sha256: r.bodySha256 ?? '',
        outcome: r.outcome,
        detail: r.detail ?? '',
        prev_hash: prev?.hash ?? GENESIS_HASH,
      }
      const row: AuditRow = { ...base, hash: rowHash(base) }
      insert.run(row)
      prev = row
      return row
    })
    const head = rows[rows.length - 1]
    if (head)
      setHead.run(
        AUDIT_HEAD_KEY,
        JSON.stringify({ seq: head.seq, hash: head.hash } satisfies ChainHead),
        head.ts,
      )
    return rows
  })
  const run = (records: AuditRecord[]) => (db.inTransaction ? tx(records) : tx.immediate(records))
  txCache.set(db, run)
  return run
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
