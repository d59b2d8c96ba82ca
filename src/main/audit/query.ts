import { AuditFilter, type AuditEntry, type AuditPage, type AuditSummary } from '../../shared/api/models'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { isLoopbackHost } from '../egress/address'
import type { AuditRow } from './chain'
import { completesSeqOf, COMPLETES_SQL, isInFlight, OPEN_INTENTS_SQL } from './intents'
import { INTENT_OUTCOME } from './log'

type Row = AuditRow & { endpoint_name: string | null }

export function toEntry(r: Row): AuditEntry {
  let purpose: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(r.purpose_json)
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      purpose = parsed as Record<string, unknown>
  } catch {
    purpose = { unreadable: r.purpose_json }
  }
  return {
    seq: r.seq,
    ts: r.ts,
    kind: r.kind,
    actor: r.actor,
    endpointId: r.endpoint_id,
    endpoint: r.endpoint_name,
    host: r.host,
    port: r.port,
    address: r.address,
    purpose,
    purposeKind: typeof purpose.kind === 'string' ? purpose.kind : '',
    bytesSent: r.bytes_sent,
    bytesReceived: r.bytes_received,
    bodySha256: r.body_sha256,
    outcome: r.outcome,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
    completesSeq: r.kind === 'request' ? completesSeqOf(purpose) : null,
    intentState: null,
    completedBySeq: null,
  }
}

const isIntent = (e: AuditEntry) => e.kind === 'request' && e.outcome === INTENT_OUTCOME

/**
 * Fills in intentState and completedBySeq of the intent rows among `entries`: their outcome rows
 * can only come after them, so one scan from the oldest intent on finds them all.
 */
function annotateIntents(db: Db, entries: AuditEntry[]): void {
  const intents = entries.filter(isIntent)
  if (intents.length === 0) return
  const from = intents.reduce((m, e) => Math.min(m, e.seq), Infinity)
  const completedBy = new Map<number, number>()
  for (const r of db
    .prepare(
      `SELECT seq, ${COMPLETES_SQL} AS c FROM audit_log
       WHERE kind = 'request' AND seq > ? AND outcome <> '${INTENT_OUTCOME}' AND ${COMPLETES_SQL} IS NOT NULL`,
    )
    .iterate(from) as IterableIterator<{ seq: number; c: number }>) {
    completedBy.set(r.c, r.seq)
  }
  for (const e of intents) {
    const by = completedBy.get(e.seq)
    e.completedBySeq = by ?? null
    e.intentState = by !== undefined ? 'completed' : isInFlight(db, e.seq) ? 'in_flight' : 'unfinished'
  }
}

/** Accepts an ISO time, a date, or a relative age such as 30m, 24h, 7d. */
export function parseTime(value: string, field: string, now: Date = new Date()): string {
  const rel = /^(\d+)\s*(s|m|h|d|w)$/i.exec(value.trim())
  if (rel) {
    const n = Number(rel[1])
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 }[rel[2]!.toLowerCase() as 's']
    return new Date(now.getTime() - n * unit).toISOString()
  }
  const t = Date.parse(value)
  if (Number.isNaN(t)) {
    throw new AppError(
      'invalid_input',
      `${field}: "${value}" is not a time. Use ISO-8601 (2026-01-31T08:00:00Z), a date (2026-01-31) or an age (30m, 24h, 7d).`,
    )
  }
  return new Date(t).toISOString()
}

function where(filter: ReturnType<typeof AuditFilter.parse>): { sql: string; params: unknown[] } {
  const clauses: string[] = []
  const params: unknown[] = []
  if (filter.since) {
    clauses.push('a.ts >= ?')
    params.push(parseTime(filter.since, 'since'))
  }
  if (filter.until) {
    clauses.push('a.ts < ?')
    params.push(parseTime(filter.until, 'until'))
  }
  if (filter.kind) {
    clauses.push('a.kind = ?')
    params.push(filter.kind)
  }
  if (filter.host) {
    clauses.push('a.host = ?')
    params.push(filter.host)
  }
  if (filter.outcome) {
    clauses.push('a.outcome = ?')
    params.push(filter.outcome)
  }
  if (filter.purposeKind) {
    clauses.push("json_extract(a.purpose_json, '$.kind') = ?")
    params.push(filter.purposeKind)
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params }
}

const SELECT =
  'SELECT a.*, e.name AS endpoint_name FROM audit_log a LEFT JOIN endpoints e ON e.id = a.endpoint_id'

/** Newest first, at most `limit` rows, with the total matching the filter. */
export function listAudit(db: Db, input: AuditFilter = {}): AuditPage {
  const filter = AuditFilter.parse(input)
  const w = where(filter)
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM audit_log a ${w.sql}`).get(...w.params) as { n: number }
  ).n
  const rows = db
    .prepare(`${SELECT} ${w.sql} ORDER BY a.seq DESC LIMIT ?`)
    .all(...w.params, filter.limit) as Row[]
  const entries = rows.map(toEntry)
  annotateIntents(db, entries)
  return { entries, total, truncated: total > rows.length }
}

/**
 * The intent rows no outcome row completes, oldest first: requests on the wire when the app
 * stopped (and, in this process, requests still in flight — their intentState says which).
 */
export function listUnfinished(db: Db, limit = 10_000): AuditPage {
  const seqs = db.prepare(OPEN_INTENTS_SQL).pluck().all() as number[]
  const get = db.prepare(`${SELECT} WHERE a.seq = ?`)
  const entries = seqs.slice(0, limit).map((s) => {
    const e = toEntry(get.get(s) as Row)
    e.intentState = isInFlight(db, s) ? 'in_flight' : 'unfinished'
    return e
  })
  return { entries, total: seqs.length, truncated: seqs.length > entries.length }
}

/** Every matching row, oldest first, without loading them all at once (export). */
export function* iterateAudit(db: Db, input: AuditFilter = {}): Generator<AuditEntry> {
  const filter = AuditFilter.parse(input)
  const w = where(filter)
  // Intents without an outcome row are few; every other intent is completed.
  const open = new Set(db.prepare(OPEN_INTENTS_SQL).pluck().all() as number[])
  for (const r of db
    .prepare(`${SELECT} ${w.sql} ORDER BY a.seq`)
    .iterate(...w.params) as IterableIterator<Row>) {
    const e = toEntry(r)
    if (isIntent(e))
      e.intentState = !open.has(e.seq) ? 'completed' : isInFlight(db, e.seq) ? 'in_flight' : 'unfinished'
    yield e
  }
}

/** Where data went: per destination, requests, refusals and bytes; and per purpose. */
export function auditSummary(db: Db): AuditSummary {
  // A request is an intent row with its outcome row, or (before write-ahead rows, and for failed
  // name lookups) one row. Count it once: by its intent or its single row. Its bytes are the
  // outcome row's (bytes on the wire); an unfinished intent's are the body bytes it was about to send.
  const intent = `(kind = 'request' AND outcome = '${INTENT_OUTCOME}')`
  const open = `(${intent} AND seq IN (SELECT seq FROM open_intents))`
  const sent = `CASE WHEN ${intent} AND NOT ${open} THEN 0 ELSE bytes_sent END`
  const withOpen = `WITH open_intents AS MATERIALIZED (${OPEN_INTENTS_SQL})`
  const dest = db
    .prepare(
      `${withOpen}
       SELECT host, port,
         SUM(kind = 'request' AND ${COMPLETES_SQL} IS NULL) AS requests,
         SUM(kind = 'refusal') AS refusals,
         SUM((kind = 'request' AND outcome NOT IN ('ok', '${INTENT_OUTCOME}')) OR ${open}) AS failures,
         SUM(${open}) AS unfinished,
         SUM(${sent}) AS bytesSent, SUM(bytes_received) AS bytesReceived,
         MIN(ts) AS firstAt, MAX(ts) AS lastAt
       FROM audit_log WHERE kind IN ('request','refusal') AND host <> ''
       GROUP BY host, port ORDER BY SUM(${sent}) DESC, host`,
    )
    .all() as Omit<AuditSummary['destinations'][number], 'loopback'>[]
  const byPurpose = db
    .prepare(
      `${withOpen}
       SELECT COALESCE(json_extract(purpose_json, '$.kind'), '') AS purposeKind,
         SUM(${COMPLETES_SQL} IS NULL) AS requests, SUM(${sent}) AS bytesSent
       FROM audit_log WHERE kind = 'request' GROUP BY 1 ORDER BY 3 DESC`,
    )
    .all() as AuditSummary['byPurpose']
  const totalRows = (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n
  return { destinations: dest.map((d) => ({ ...d, loopback: isLoopbackHost(d.host) })), byPurpose, totalRows }
}
