import {
  RequestFilter,
  type AuditRequest,
  type AuditRequestGroup,
  type AuditRequestItem,
  type RequestPage,
  type RequestStatus,
} from '../../shared/api/audit-requests'
import type { Db } from '../db/open'
import { formatHostPort } from '../egress/address'
import type { AuditRow } from './chain'
import { COMPLETES_SQL, isInFlight } from './intents'
import { INTENT_OUTCOME } from './log'
import { parseTime } from './query'

/**
 * One row per request. The egress guard writes two rows for each request (the write-ahead intent,
 * then the outcome naming it); the privacy officer reads one: where it went, why, for which model,
 * bytes out and in, how it ended and how long it took. An intent without an outcome is flagged
 * unfinished. Repeated status checks and model listings (the status bar polls each server) are
 * grouped so that a day's evaluation is not buried under them.
 */

/** Purposes that are polls rather than work: grouped when repeated. */
export const CHECK_PURPOSES: ReadonlySet<string> = new Set(['status_check', 'model_listing'])
/** Checks to one destination further apart than this start a new group. */
export const GROUP_GAP_MS = 15 * 60_000

type JoinedRow = Omit<AuditRow, 'endpoint_id' | 'body_sha256' | 'prev_hash' | 'hash'> & {
  endpoint_name: string | null
  o_seq: number | null
  o_ts: string | null
  o_outcome: string | null
  o_sent: number | null
  o_received: number | null
  o_detail: string | null
  o_address: string | null
}

// The outcome rows, materialized so that SQLite joins them to their intents through an automatic index.
const JOINED_SQL = `
  WITH outs AS MATERIALIZED (
    SELECT seq, ts, outcome, bytes_sent, bytes_received, detail, address, ${COMPLETES_SQL} AS c
    FROM audit_log
    WHERE kind = 'request' AND outcome <> '${INTENT_OUTCOME}' AND ${COMPLETES_SQL} IS NOT NULL)
  SELECT a.seq, a.ts, a.kind, a.actor, e.name AS endpoint_name, a.host, a.port, a.address,
    a.purpose_json, a.bytes_sent, a.bytes_received, a.outcome, a.detail,
    o.seq AS o_seq, o.ts AS o_ts, o.outcome AS o_outcome, o.bytes_sent AS o_sent,
    o.bytes_received AS o_received, o.detail AS o_detail, o.address AS o_address
  FROM audit_log a
  LEFT JOIN outs o ON o.c = a.seq
  LEFT JOIN endpoints e ON e.id = a.endpoint_id`

function parsePurpose(json: string): Record<string, unknown> {
  try {
    const p: unknown = JSON.parse(json)
    return p && typeof p === 'object' && !Array.isArray(p) ? (p as Record<string, unknown>) : {}
  } catch {
    return { unreadable: json }
  }
}

function statusOf(db: Db, r: JoinedRow): RequestStatus {
  if (r.kind === 'refusal') return 'refused'
  if (r.kind !== 'request') return 'recorded'
  if (r.outcome === INTENT_OUTCOME && r.o_outcome === null)
    return isInFlight(db, r.seq) ? 'in_flight' : 'unfinished'
  return (r.o_outcome ?? r.outcome) === 'ok' ? 'ok' : 'failed'
}

function modelOf(p: Record<string, unknown>): string | null {
  const m = p.kind === 'judge' ? p.judgeKey : p.modelKey
  return typeof m === 'string' ? m : null
}

function toRequest(db: Db, r: JoinedRow): AuditRequest {
  const purpose = parsePurpose(r.purpose_json)
  const joined = r.o_seq !== null
  const duration = joined ? Date.parse(r.o_ts!) - Date.parse(r.ts) : NaN
  return {
    type: 'request',
    seq: r.seq,
    outcomeSeq: r.o_seq,
    ts: r.ts,
    kind: r.kind,
    actor: r.actor,
    endpoint: r.endpoint_name,
    host: r.host,
    port: r.port,
    address: (joined && r.o_address) || r.address,
    purpose,
    purposeKind: typeof purpose.kind === 'string' ? purpose.kind : '',
    model: modelOf(purpose),
    // Bytes on the wire are the outcome row's; an unfinished intent's are the body it was about to send.
    bytesSent: joined ? r.o_sent! : r.bytes_sent,
    bytesReceived: joined ? r.o_received! : r.bytes_received,
    outcome: joined ? r.o_outcome! : r.outcome,
    status: statusOf(db, r),
    durationMs: Number.isFinite(duration) ? duration : null,
    detail: joined ? r.o_detail || r.detail : r.detail,
  }
}

/** The joined requests of the period (and seq range), newest first. Outcome rows appear only inside their intent's row. */
export function joinedRequests(db: Db, input: RequestFilter = {}): AuditRequest[] {
  const f = RequestFilter.parse(input)
  const clauses = [
    `NOT (a.kind = 'request' AND ${COMPLETES_SQL.replace('purpose_json', 'a.purpose_json')} IS NOT NULL)`,
  ]
  const params: unknown[] = []
  const add = (sql: string, v: unknown) => (clauses.push(sql), params.push(v))
  if (f.since) add('a.ts >= ?', parseTime(f.since, 'since'))
  if (f.until) add('a.ts < ?', parseTime(f.until, 'until'))
  if (f.fromSeq !== undefined) add('a.seq >= ?', f.fromSeq)
  if (f.toSeq !== undefined) add('a.seq <= ?', f.toSeq)
  const rows = db
    .prepare(`${JOINED_SQL} WHERE ${clauses.join(' AND ')} ORDER BY a.seq DESC`)
    .all(...params) as JoinedRow[]
  return rows.map((r) => toRequest(db, r))
}

export const destinationOf = (r: { host: string; port: number | null }): string =>
  r.host ? formatHostPort(r.host, r.port) : ''

function matches(f: ReturnType<typeof RequestFilter.parse>, r: AuditRequest): boolean {
  return (
    (!f.kind || r.kind === f.kind) &&
    (!f.host || r.host === f.host) &&
    (!f.purposeKind || r.purposeKind === f.purposeKind) &&
    (!f.status || r.status === f.status)
  )
}

function facets(requests: AuditRequest[]): RequestPage['facets'] {
  const out: RequestPage['facets'] = { purposeKind: {}, status: {}, destination: {} }
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1)
  for (const r of requests) {
    if (r.purposeKind) bump(out.purposeKind, r.purposeKind)
    bump(out.status, r.status)
    if (r.host) bump(out.destination, destinationOf(r))
  }
  return out
}

/**
 * Groups repeated checks (newest first in, newest first out): a check joins the open group of its
 * destination, purpose and status unless more than GROUP_GAP_MS separate it from that group's
 * oldest member. A group sits where its newest member was; a group of one stays a plain row.
 */
export function groupChecks(requests: AuditRequest[]): AuditRequestItem[] {
  const out: (AuditRequest | { group: AuditRequest[] })[] = []
  const open = new Map<string, AuditRequest[]>()
  for (const r of requests) {
    if (!CHECK_PURPOSES.has(r.purposeKind) || r.kind !== 'request') {
      out.push(r)
      continue
    }
    const key = `${r.purposeKind}|${destinationOf(r)}|${r.status}`
    const g = open.get(key)
    if (g && Date.parse(g[g.length - 1]!.ts) - Date.parse(r.ts) <= GROUP_GAP_MS) {
      g.push(r)
      continue
    }
    const fresh = [r]
    open.set(key, fresh)
    out.push({ group: fresh })
  }
  return out.map((x) => ('group' in x ? (x.group.length === 1 ? x.group[0]! : toGroup(x.group)) : x))
}

function toGroup(members: AuditRequest[]): AuditRequestGroup {
  const newest = members[0]!
  const oldest = members[members.length - 1]!
  return {
    type: 'group',
    purposeKind: newest.purposeKind,
    host: newest.host,
    port: newest.port,
    endpoint: newest.endpoint,
    status: newest.status,
    count: members.length,
    firstTs: oldest.ts,
    lastTs: newest.ts,
    fromSeq: oldest.seq,
    toSeq: Math.max(...members.map((m) => m.outcomeSeq ?? m.seq)),
    bytesSent: members.reduce((s, m) => s + m.bytesSent, 0),
    bytesReceived: members.reduce((s, m) => s + m.bytesReceived, 0),
  }
}

/** A page of the one-row-per-request view: filtered, checks grouped (unless asked not to), newest first. */
export function listRequests(db: Db, input: RequestFilter = {}): RequestPage {
  const f = RequestFilter.parse(input)
  const all = joinedRequests(db, f)
  const chosen = all.filter((r) => matches(f, r))
  const items = f.groupChecks ? groupChecks(chosen) : chosen
  return {
    items: items.slice(f.offset, f.offset + f.limit),
    total: items.length,
    offset: f.offset,
    requests: chosen.length,
    facets: facets(all),
  }
}
