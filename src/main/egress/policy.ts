import type { Statement } from 'better-sqlite3'
import { isIP } from 'node:net'
import type { Approval } from '../../shared/api/models'
import { appendAudit } from '../audit/log'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { bareHost, formatHostPort, isLoopbackAddress } from './address'

/**
 * The egress policy: loopback destinations are allowed; any other destination must have been
 * approved explicitly (host, optionally port; who, when, why). Approvals and revocations are
 * rows of `egress_approvals`, and each is recorded in the audit log in the same transaction.
 */

interface ApprovalRow {
  id: number
  host: string
  port: number | null
  approved_by: string
  reason: string
  approved_at: string
  revoked_at: string | null
  revoked_by: string | null
}

function toApproval(r: ApprovalRow): Approval {
  return {
    id: r.id,
    host: r.host,
    port: r.port,
    approvedBy: r.approved_by,
    reason: r.reason,
    approvedAt: r.approved_at,
    revokedAt: r.revoked_at,
    revokedBy: r.revoked_by,
  }
}

export const POLICY_DESCRIPTION =
  'Only this machine (loopback: 127.0.0.0/8, ::1) is reachable by default. Any other host must be approved explicitly, ' +
  'with who approved it, when and why. Host names are resolved first and every address they resolve to must be loopback ' +
  'or approved; the connection then goes to the address that was checked. Everything else is refused before a byte is sent.'

/** A host as the user may write it: a DNS name or an IP literal, nothing else. */
export function normalizeApprovalHost(raw: string): string {
  const h = bareHost(raw)
  const isName =
    /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/.test(
      h,
    )
  if (!isName && isIP(h) === 0) {
    throw new AppError(
      'invalid_input',
      `host: "${raw.slice(0, 100)}" is not a host name or IP address (write it without scheme, port or path).`,
    )
  }
  return h.replace(/\.$/, '')
}

export function listApprovals(db: Db, options: { activeOnly?: boolean } = {}): Approval[] {
  const rows = db
    .prepare(
      `SELECT * FROM egress_approvals ${options.activeOnly ? 'WHERE revoked_at IS NULL' : ''} ORDER BY id`,
    )
    .all() as ApprovalRow[]
  return rows.map(toApproval)
}

const findStatements = new WeakMap<Db, Statement<[string, number]>>()

/** The active approval that covers this host and port (an exact-port approval before an any-port one). */
export function findApproval(db: Db, host: string, port: number): Approval | null {
  let find = findStatements.get(db)
  if (!find) {
    find = db.prepare(
      `SELECT * FROM egress_approvals WHERE revoked_at IS NULL AND host = ? AND (port IS NULL OR port = ?)
       ORDER BY port IS NULL, id LIMIT 1`,
    )
    findStatements.set(db, find)
  }
  const row = find.get(bareHost(host), port) as ApprovalRow | undefined
  return row ? toApproval(row) : null
}

export interface ApproveInput {
  host: string
  port: number | null
  reason: string
  approvedBy: string
  now?: string
}

/** Approves a destination. Refuses an empty reason and a duplicate of an active approval. */
export function approveDestination(db: Db, input: ApproveInput): Approval {
  const host = normalizeApprovalHost(input.host)
  const reason = input.reason.trim()
  if (!reason) throw new AppError('invalid_input', 'reason: say why this destination may receive data.')
  if (input.port !== null && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw new AppError('invalid_input', `port: ${input.port} is not a TCP port (1–65535).`)
  }
  const now = input.now ?? new Date().toISOString()
  return db.transaction(() => {
    const same = db
      .prepare('SELECT * FROM egress_approvals WHERE revoked_at IS NULL AND host = ? AND port IS ?')
      .get(host, input.port) as ApprovalRow | undefined
    if (same) {
      throw new AppError(
        'conflict',
        `${formatHostPort(host, input.port)} is already approved (approval ${same.id}, by ${same.approved_by} at ${same.approved_at}).`,
      )
    }
    const info = db
      .prepare(
        'INSERT INTO egress_approvals (host, port, approved_by, reason, approved_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(host, input.port, input.approvedBy, reason, now)
    appendAudit(db, {
      kind: 'approval',
      actor: input.approvedBy,
      host,
      port: input.port,
      outcome: 'approved',
      detail: `approval ${Number(info.lastInsertRowid)}: ${reason}${isLoopbackAddress(host) ? ' (loopback: allowed anyway)' : ''}`,
      ts: now,
    })
    return toApproval(
      db.prepare('SELECT * FROM egress_approvals WHERE id = ?').get(info.lastInsertRowid) as ApprovalRow,
    )
  })()
}

export function revokeApproval(
  db: Db,
  id: number,
  revokedBy: string,
  now: string = new Date().toISOString(),
): Approval {
  return db.transaction(() => {
    const row = db.prepare('SELECT * FROM egress_approvals WHERE id = ?').get(id) as ApprovalRow | undefined
    if (!row) throw new AppError('not_found', `No egress approval with id ${id}.`)
    if (row.revoked_at)
      throw new AppError(
        'conflict',
        `Approval ${id} was already revoked by ${row.revoked_by} at ${row.revoked_at}.`,
      )
    db.prepare('UPDATE egress_approvals SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(
      now,
      revokedBy,
      id,
    )
    appendAudit(db, {
      kind: 'policy',
      actor: revokedBy,
      host: row.host,
      port: row.port,
      outcome: 'revoked',
      detail: `approval ${id} revoked (was approved by ${row.approved_by} at ${row.approved_at}: ${row.reason})`,
      ts: now,
    })
    return toApproval(db.prepare('SELECT * FROM egress_approvals WHERE id = ?').get(id) as ApprovalRow)
  })()
}

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

export type Decision =
  | {
      allowed: true
      addresses: ResolvedAddress[]
      pinned: ResolvedAddress
      basis: 'loopback' | 'approved'
      approval: Approval | null
    }
  | { allowed: false; addresses: ResolvedAddress[]; reason: string }

/**
 * Decides on a destination whose name has been resolved to `addresses`: every address must be
 * loopback, or covered by an approval of the name as written or of that address. The connection
 * then goes to the first address (pinned), never to a fresh resolution.
 */
export function decide(
  db: Db,
  dest: { host: string; port: number; label: string },
  addresses: ResolvedAddress[],
  isLoopback: (address: string) => boolean,
): Decision {
  if (addresses.length === 0)
    return { allowed: false, addresses, reason: `${dest.host} did not resolve to any address` }
  if (addresses.every((a) => isLoopback(a.address)))
    return { allowed: true, addresses, pinned: addresses[0]!, basis: 'loopback', approval: null }
  const nameApproval = findApproval(db, dest.host, dest.port)
  let approval: Approval | null = nameApproval
  for (const a of addresses) {
    if (isLoopback(a.address) || nameApproval) continue
    const addressApproval = findApproval(db, a.address, dest.port)
    if (!addressApproval) {
      const resolvedNote = a.address === dest.host ? '' : ` resolves to ${a.address}, which`
      return {
        allowed: false,
        addresses,
        reason: `${dest.label}${resolvedNote} is neither loopback nor an approved destination`,
      }
    }
    approval = addressApproval
  }
  return { allowed: true, addresses, pinned: addresses[0]!, basis: 'approved', approval }
}
