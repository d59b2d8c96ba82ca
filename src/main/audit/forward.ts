import { readFileSync } from 'node:fs'
import { ForwardConfig, type ForwardConfigInput, type ForwardStatus } from '../../shared/api/audit'
import type { AppContext } from '../app/context'
import type { Db } from '../db/open'
import { egressGuard } from '../egress'
import { bareHost, formatHostPort, isLoopbackHost } from '../egress/address'
import { findApproval } from '../egress/policy'
import { AppError } from '../errors'
import { anchorsOf, type AnchorContent } from './anchors'
import { canonicalJson, type AuditRow } from './chain'
import { currentActor } from './actor'
import { appendAudit } from './log'
import { splitAttached } from '../signing/envelope'
import { formatSyslog, frameOctetCounted, SEVERITY } from './syslog'

/**
 * Forwarding anchors (and, if chosen, every audit row) to the hospital's log collector as RFC 5424
 * syslog over TCP or TLS — through the egress guard, so only to a loopback or approved destination,
 * and audited like every other connection. What is not delivered stays queued: the anchors folder
 * is the queue (anchors after the last delivered one), rows after a cursor; both persist across
 * restarts. A failed delivery is retried later with a growing delay and never blocks an evaluation.
 */

const CONFIG_KEY = 'audit.forward.config'
const STATE_KEY = 'audit.forward.state'
export const ANCHORS_PER_DELIVERY = 100
export const ROWS_PER_DELIVERY = 500
export const DELIVERY_TIMEOUT_MS = 15_000
const RETRY_FIRST_MS = 30_000
const RETRY_MAX_MS = 3_600_000

interface ForwardState {
  delivered: { seq: number; at: string; deliveredAt: string } | null
  rowsCursor: number | null
  lastAttemptAt: string | null
  lastError: string | null
  failures: number
  nextAttemptAt: string | null
}

const EMPTY_STATE: ForwardState = {
  delivered: null,
  rowsCursor: null,
  lastAttemptAt: null,
  lastError: null,
  failures: 0,
  nextAttemptAt: null,
}

function readSetting<T>(db: Db, key: string): T | null {
  const v = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined
  if (v === undefined) return null
  try {
    return JSON.parse(v) as T
  } catch {
    return null
  }
}

function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), new Date().toISOString())
}

export function forwardConfig(db: Db): ForwardConfig | null {
  const raw = readSetting<unknown>(db, CONFIG_KEY)
  const r = raw === null ? null : ForwardConfig.safeParse(raw)
  return r?.success ? r.data : null
}

function state(db: Db): ForwardState {
  return { ...EMPTY_STATE, ...(readSetting<ForwardState>(db, STATE_KEY) ?? {}) }
}

type Ctx = Pick<AppContext, 'db' | 'dbPath' | 'dataDir' | 'env'>

const after = (a: AnchorContent, d: ForwardState['delivered']) =>
  !d || a.seq > d.seq || (a.seq === d.seq && a.at > d.at)

function pendingAnchors(ctx: Ctx, s: ForwardState) {
  return anchorsOf(ctx).filter((x) => after(x.anchor, s.delivered))
}

function pendingRowCount(db: Db, config: ForwardConfig | null, s: ForwardState): number {
  if (!config?.allRows) return 0
  return db
    .prepare('SELECT COUNT(*) FROM audit_log WHERE seq > ?')
    .pluck()
    .get(s.rowsCursor ?? 0) as number
}

export function forwardStatus(ctx: Ctx): ForwardStatus {
  const config = forwardConfig(ctx.db)
  const s = state(ctx.db)
  return {
    config,
    pendingAnchors: config ? pendingAnchors(ctx, s).length : 0,
    pendingRows: pendingRowCount(ctx.db, config, s),
    lastDelivered: s.delivered
      ? { anchorSeq: s.delivered.seq, anchorAt: s.delivered.at, deliveredAt: s.delivered.deliveredAt }
      : null,
    lastAttemptAt: s.lastAttemptAt,
    lastError: s.lastError,
    nextAttemptAt: s.nextAttemptAt,
  }
}

/**
 * Sets the collector. Refused unless it is loopback or an approved destination (the guard checks
 * again at every delivery, after resolving the name). Recorded in the audit log.
 */
export function setForwarding(ctx: Ctx, input: ForwardConfigInput): ForwardStatus {
  const config = ForwardConfig.parse({ ...input, host: bareHost(input.host) })
  const label = formatHostPort(config.host, config.port)
  if (!isLoopbackHost(config.host) && !findApproval(ctx.db, config.host, config.port))
    throw new AppError(
      'egress_refused',
      `${label} is not an approved destination. Approve it first: egress approve ${config.host} --port ${config.port} --reason "<why>"`,
    )
  if (config.caFile) readCa(config.caFile)
  ctx.db.transaction(() => {
    writeSetting(ctx.db, CONFIG_KEY, config)
    appendAudit(ctx.db, {
      kind: 'policy',
      actor: currentActor(ctx.env),
      host: config.host,
      port: config.port,
      outcome: 'forward_set',
      detail: `audit forwarding to ${label} over ${config.tls ? 'TLS' : 'TCP'} (RFC 5424 syslog): anchors${config.allRows ? ' and every audit row' : ''}`,
    })
  })()
  return forwardStatus(ctx)
}

export function disableForwarding(ctx: Ctx): ForwardStatus {
  const config = forwardConfig(ctx.db)
  if (config)
    ctx.db.transaction(() => {
      ctx.db.prepare('DELETE FROM settings WHERE key = ?').run(CONFIG_KEY)
      appendAudit(ctx.db, {
        kind: 'policy',
        actor: currentActor(ctx.env),
        host: config.host,
        port: config.port,
        outcome: 'forward_off',
        detail: `audit forwarding to ${formatHostPort(config.host, config.port)} switched off`,
      })
    })()
  return forwardStatus(ctx)
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch (e) {
    throw new AppError(
      'invalid_input',
      `ca: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'}).`,
    )
  }
}

/** An anchor as one syslog message: the fields a SIEM indexes, and the signed anchor as JSON. */
export function anchorMessage(file: string, anchor: AnchorContent): string {
  const parts = splitAttached(readFileSync(file, 'utf8'))
  if (!parts) throw new AppError('conflict', `Anchor ${file} is damaged: not a signed anchor.`)
  return formatSyslog({
    severity: SEVERITY.notice,
    msgId: 'anchor',
    timestamp: anchor.at,
    params: {
      seq: anchor.seq,
      head: anchor.headHash,
      fp: anchor.keyFingerprint,
      db: anchor.database,
      reason: anchor.reason,
    },
    msg: `{"anchor":${parts.content},"signature":${parts.envelope}}`,
  })
}

/** An audit row as one syslog message: every column, so the collector can recompute the chain. */
export function rowMessage(row: AuditRow): string {
  return formatSyslog({
    severity: SEVERITY.info,
    msgId: 'audit',
    timestamp: row.ts,
    params: { seq: row.seq, hash: row.hash, prev: row.prev_hash, kind: row.kind, outcome: row.outcome },
    msg: canonicalJson(row),
  })
}

const inFlight = new WeakMap<Db, Promise<ForwardStatus>>()

/**
 * Delivers what is queued, in batches (one connection each), up to the rows that existed when it
 * started — the rows this delivery itself adds to the log go with the next one. One delivery at a
 * time per database; a concurrent call joins it. Never throws for a failed delivery: the failure is
 * recorded in the status (lastError, nextAttemptAt) and the queue kept.
 */
export function deliverPending(ctx: Ctx): Promise<ForwardStatus> {
  const running = inFlight.get(ctx.db)
  if (running) return running
  const p = deliverBatches(ctx).finally(() => inFlight.delete(ctx.db))
  inFlight.set(ctx.db, p)
  return p
}

async function deliverBatches(ctx: Ctx): Promise<ForwardStatus> {
  const config = forwardConfig(ctx.db)
  if (!config) return forwardStatus(ctx)
  const upTo = (ctx.db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number | null) ?? 0
  for (;;) {
    const s = state(ctx.db)
    const anchors = pendingAnchors(ctx, s).slice(0, ANCHORS_PER_DELIVERY)
    const rows = config.allRows
      ? (ctx.db
          .prepare('SELECT * FROM audit_log WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
          .all(s.rowsCursor ?? 0, upTo, ROWS_PER_DELIVERY) as AuditRow[])
      : []
    if (anchors.length === 0 && rows.length === 0) break
    const ok = await deliverBatch(ctx, config, anchors, rows)
    if (!ok) break
  }
  return forwardStatus(ctx)
}

async function deliverBatch(
  ctx: Ctx,
  config: ForwardConfig,
  anchors: { file: string; anchor: AnchorContent }[],
  rows: AuditRow[],
): Promise<boolean> {
  const attemptAt = new Date().toISOString()
  const s = state(ctx.db)
  try {
    // Rows first, then the anchors covering them: the collector receives a row before its anchor.
    const frames = [...rows.map(rowMessage), ...anchors.map((a) => anchorMessage(a.file, a.anchor))]
    await egressGuard(ctx).sendStream({
      host: config.host,
      port: config.port,
      tls: config.tls,
      ca: config.caFile ? readCa(config.caFile) : undefined,
      payload: Buffer.concat(frames.map(frameOctetCounted)),
      purpose: { kind: 'audit_forward', anchors: anchors.length, rows: rows.length },
      timeoutMs: DELIVERY_TIMEOUT_MS,
    })
  } catch (e) {
    const failures = s.failures + 1
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (failures - 1))
    writeSetting(ctx.db, STATE_KEY, {
      ...s,
      lastAttemptAt: attemptAt,
      lastError: e instanceof Error ? e.message : String(e),
      failures,
      nextAttemptAt: new Date(Date.now() + delay).toISOString(),
    } satisfies ForwardState)
    return false
  }
  const last = anchors.at(-1)?.anchor
  writeSetting(ctx.db, STATE_KEY, {
    delivered: last ? { seq: last.seq, at: last.at, deliveredAt: new Date().toISOString() } : s.delivered,
    rowsCursor: rows.at(-1)?.seq ?? s.rowsCursor,
    lastAttemptAt: attemptAt,
    lastError: null,
    failures: 0,
    nextAttemptAt: null,
  } satisfies ForwardState)
  return true
}

/** Rows not yet forwarded other than forwarding's own (worth a delivery on their own). */
function hasPendingActivity(db: Db, config: ForwardConfig, s: ForwardState): boolean {
  if (!config.allRows) return false
  return (
    db
      .prepare(
        `SELECT 1 FROM audit_log WHERE seq > ? AND COALESCE(json_extract(purpose_json, '$.kind'), '') <> 'audit_forward' LIMIT 1`,
      )
      .get(s.rowsCursor ?? 0) !== undefined
  )
}

/**
 * Is a background delivery due? After a failure: once its retry time has come. Otherwise: when
 * an anchor is queued, or (forwarding every row) a row other than forwarding's own.
 */
export function deliveryDue(ctx: Ctx, now = Date.now()): boolean {
  const config = forwardConfig(ctx.db)
  if (!config) return false
  const s = state(ctx.db)
  if (s.nextAttemptAt) return Date.parse(s.nextAttemptAt) <= now
  return pendingAnchors(ctx, s).length > 0 || hasPendingActivity(ctx.db, config, s)
}
