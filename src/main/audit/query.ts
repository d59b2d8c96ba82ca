import { AuditFilter, type AuditEntry, type AuditPage, type AuditSummary } from '../../shared/api/models'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { isLoopbackHost } from '../egress/address'
import type { AuditRow } from './chain'

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
  return { entries: rows.map(toEntry), total, truncated: total > rows.length }
}

/** Every matching row, oldest first, without loading them all at once (export). */
export function* iterateAudit(db: Db, input: AuditFilter = {}): Generator<AuditEntry> {
  const filter = AuditFilter.parse(input)
  const w = where(filter)
  for (const r of db
    .prepare(`${SELECT} ${w.sql} ORDER BY a.seq`)
    .iterate(...w.params) as IterableIterator<Row>) {
    yield toEntry(r)
  }
}

/** Where data went: per destination, requests, refusals and bytes; and per purpose. */
export function auditSummary(db: Db): AuditSummary {
  const dest = db
    .prepare(
      `SELECT host, port,
         SUM(kind = 'request') AS requests,
         SUM(kind = 'refusal') AS refusals,
         SUM(kind = 'request' AND outcome <> 'ok') AS failures,
         SUM(bytes_sent) AS bytesSent, SUM(bytes_received) AS bytesReceived,
         MIN(ts) AS firstAt, MAX(ts) AS lastAt
       FROM audit_log WHERE kind IN ('request','refusal') AND host <> ''
       GROUP BY host, port ORDER BY SUM(bytes_sent) DESC, host`,
    )
    .all() as Omit<AuditSummary['destinations'][number], 'loopback'>[]
  const byPurpose = db
    .prepare(
      `SELECT COALESCE(json_extract(purpose_json, '$.kind'), '') AS purposeKind, COUNT(*) AS requests, SUM(bytes_sent) AS bytesSent
       FROM audit_log WHERE kind = 'request' GROUP BY 1 ORDER BY 3 DESC`,
    )
    .all() as AuditSummary['byPurpose']
  const totalRows = (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n
  return { destinations: dest.map((d) => ({ ...d, loopback: isLoopbackHost(d.host) })), byPurpose, totalRows }
}
