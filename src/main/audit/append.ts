import type { AuditKind, EgressPurpose } from '../../shared/api/models'
import type { Db } from '../db/open'
import { canonicalJson, GENESIS_HASH, rowHash, type AuditRow } from './chain'

/**
 * Appending rows to the hash-chained audit log on one connection — the part of the log that runs
 * wherever rows are committed: this thread's connection, or the writer thread's (db/writer). The
 * queue, the listeners and the public functions are in ./log.ts.
 */

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

const txCache = new WeakMap<Db, (records: AuditRecord[]) => AuditRow[]>()

/**
 * Appends rows on `db` (the connection that commits them: this thread's, or the writer thread's —
 * db/writer): joins the transaction open on it, else runs its own IMMEDIATE one.
 */
export function appendRecords(db: Db, records: AuditRecord[]): AuditRow[] {
  return appendTx(db)(records)
}

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
