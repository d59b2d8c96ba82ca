import type { Db } from '../db/open'
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
}

/** The settings key holding the chain head {seq, hash}, updated in the same transaction as each append. */
export const AUDIT_HEAD_KEY = 'audit.chain_head'

export interface ChainHead {
  seq: number
  hash: string
}

export type AppendListener = (row: AuditRow) => void

const listeners = new WeakMap<Db, Set<AppendListener>>()

/** Be told of every row appended through this database handle (the UI refreshes on it). */
export function onAuditAppend(db: Db, listener: AppendListener): () => void {
  const set = listeners.get(db) ?? new Set<AppendListener>()
  set.add(listener)
  listeners.set(db, set)
  return () => set.delete(listener)
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
}

const queues = new WeakMap<Db, Queued[]>()

/**
 * Appends one row like appendAudit, committed together with the other rows queued in the same turn
 * of the event loop (group commit: one transaction, one chain-head update). Resolves once the row
 * has committed; the fields are exactly those given, so what is recorded does not depend on when.
 */
export function appendAuditSoon(db: Db, record: AuditRecord): Promise<AuditRow> {
  return new Promise((resolve, reject) => {
    let queue = queues.get(db)
    if (!queue) {
      queues.set(db, (queue = []))
      setImmediate(() => flushQueue(db))
    }
    queue.push({ record, resolve, reject })
  })
}

function flushQueue(db: Db): void {
  const batch = queues.get(db) ?? []
  queues.delete(db)
  let rows: AuditRow[]
  try {
    rows = appendTx(db)(batch.map((q) => q.record))
  } catch {
    // The batch was rolled back: append each on its own, so each caller learns its own outcome.
    for (const q of batch) {
      try {
        q.resolve(appendAudit(db, q.record))
      } catch (e) {
        q.reject(e)
      }
    }
    return
  }
  batch.forEach((q, i) => q.resolve(rows[i]!))
  notify(db, rows)
}

function notify(db: Db, rows: AuditRow[]): void {
  const set = listeners.get(db)
  if (set) for (const row of rows) for (const l of set) l(row)
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
        purpose_json: canonicalJson(r.purpose ?? {}),
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
