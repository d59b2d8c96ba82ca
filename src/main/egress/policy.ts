import type { Statement } from 'better-sqlite3'
import { isIP } from 'node:net'
import type { AddressChange, Approval } from '../../shared/api/models'
import { appendAudit } from '../audit/log'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import {
  bareHost,
  canonicalAddress,
  canonicalApprovalHost,
  formatHostPort,
  isLoopbackAddress,
} from './address'

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
  addresses_json: string | null
  replaces: number | null
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
    addresses: r.addresses_json === null ? null : (JSON.parse(r.addresses_json) as string[]),
    replaces: r.replaces,
  }
}

export const POLICY_DESCRIPTION =
  'Only this machine (loopback: 127.0.0.0/8, ::1) is reachable by default. Any other host must be approved explicitly, ' +
  'with who approved it, when and why. Host names are resolved first and every address they resolve to must be loopback ' +
  'or approved; the connection then goes to the address that was checked. A name is approved at the addresses it resolved to ' +
  'when it was approved: if it later resolves elsewhere, nothing is sent until someone re-approves it. Everything else is ' +
  'refused before a byte is sent.'

const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/

/**
 * A host as the user may write it: a DNS name or an IP address, stored in one spelling (see
 * canonicalApprovalHost). `rewrittenFrom` is what was written when it was not that spelling.
 */
export function normalizeApprovalHost(raw: string): { host: string; rewrittenFrom: string | null } {
  const c = canonicalApprovalHost(raw)
  if (c && 'refused' in c) throw new AppError('invalid_input', `host: ${c.refused}.`)
  if (!c || (isIP(c.host) === 0 && !HOST_NAME.test(c.host))) {
    throw new AppError(
      'invalid_input',
      `host: "${raw.slice(0, 100)}" is not a host name or IP address (write it without scheme, port or path).`,
    )
  }
  return c
}

/** The canonical, de-duplicated, sorted addresses of a resolution (what a name approval pins). */
export function pinnableAddresses(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map((a) => canonicalAddress(a) ?? a))].sort()
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
  const row = find.get(canonicalAddress(host) ?? bareHost(host), port) as ApprovalRow | undefined
  return row ? toApproval(row) : null
}

export interface ApproveInput {
  host: string
  port: number | null
  reason: string
  approvedBy: string
  /**
   * For a host name: every address it resolves to now (the approval pins them). Required for a
   * name; ignored for an IP address. See approveHost (./index.ts), which resolves the name.
   */
  addresses?: readonly string[]
  now?: string
}

function insertApproval(
  db: Db,
  a: { host: string; port: number | null; approvedBy: string; reason: string; addresses: string[] | null },
  now: string,
  replaces: number | null,
): number {
  const info = db
    .prepare(
      `INSERT INTO egress_approvals (host, port, approved_by, reason, approved_at, addresses_json, replaces)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(a.host, a.port, a.approvedBy, a.reason, now, a.addresses && JSON.stringify(a.addresses), replaces)
  return Number(info.lastInsertRowid)
}

function approvalById(db: Db, id: number): ApprovalRow | undefined {
  return db.prepare('SELECT * FROM egress_approvals WHERE id = ?').get(id) as ApprovalRow | undefined
}

/** What a name approval pins; null for an IP address. Refuses a name without its addresses. */
function pinsFor(host: string, addresses: readonly string[] | undefined): string[] | null {
  if (isIP(host) !== 0) return null
  const pins = pinnableAddresses(addresses ?? [])
  if (pins.length === 0) {
    throw new AppError(
      'invalid_input',
      `host: ${host} did not resolve to any address; approve it once it resolves, or approve its IP address.`,
    )
  }
  return pins
}

/** Approves a destination. Refuses an empty reason and a duplicate of an active approval. */
export function approveDestination(db: Db, input: ApproveInput): Approval {
  const { host, rewrittenFrom } = normalizeApprovalHost(input.host)
  const reason = input.reason.trim()
  if (!reason) throw new AppError('invalid_input', 'reason: say why this destination may receive data.')
  if (input.port !== null && (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)) {
    throw new AppError('invalid_input', `port: ${input.port} is not a TCP port (1–65535).`)
  }
  const addresses = pinsFor(host, input.addresses)
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
    const id = insertApproval(
      db,
      { host, port: input.port, approvedBy: input.approvedBy, reason, addresses },
      now,
      null,
    )
    const notes = [
      rewrittenFrom ? `written as ${rewrittenFrom}` : '',
      addresses ? `resolves to ${addresses.join(', ')} (pinned)` : '',
      isLoopbackAddress(host) ? 'loopback: allowed anyway' : '',
    ].filter(Boolean)
    appendAudit(db, {
      kind: 'approval',
      actor: input.approvedBy,
      host,
      port: input.port,
      address: addresses?.join(' ') ?? '',
      outcome: 'approved',
      detail: `approval ${id}: ${reason}${notes.length ? ` (${notes.join('; ')})` : ''}`,
      ts: now,
    })
    return toApproval(approvalById(db, id)!)
  })()
}

/**
 * Re-approves an approved name at the addresses it resolves to now, in one transaction: the old
 * approval is revoked and a new one (same host, port and reason; `replaces` the old) pins
 * `addresses`. Audited with the old and the new addresses.
 */
export function reapproveDestination(
  db: Db,
  input: { id: number; addresses: readonly string[]; approvedBy: string; now?: string },
): Approval {
  const now = input.now ?? new Date().toISOString()
  return db.transaction(() => {
    const old = approvalById(db, input.id)
    if (!old) throw new AppError('not_found', `No egress approval with id ${input.id}.`)
    if (old.revoked_at)
      throw new AppError(
        'conflict',
        `Approval ${input.id} was revoked by ${old.revoked_by} at ${old.revoked_at}.`,
      )
    if (isIP(old.host) !== 0)
      throw new AppError(
        'invalid_input',
        `Approval ${input.id} is of an IP address (${old.host}): nothing to re-resolve.`,
      )
    const addresses = pinsFor(old.host, input.addresses)!
    const was = old.addresses_json
      ? (JSON.parse(old.addresses_json) as string[]).join(', ')
      : 'no recorded address'
    db.prepare('UPDATE egress_approvals SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(
      now,
      input.approvedBy,
      old.id,
    )
    const id = insertApproval(
      db,
      { host: old.host, port: old.port, approvedBy: input.approvedBy, reason: old.reason, addresses },
      now,
      old.id,
    )
    appendAudit(db, {
      kind: 'approval',
      actor: input.approvedBy,
      host: old.host,
      port: old.port,
      address: addresses.join(' '),
      outcome: 'reapproved',
      detail: `approval ${id} replaces approval ${old.id}: ${old.host} was ${was}, now ${addresses.join(', ')} (${old.reason})`,
      ts: now,
    })
    return toApproval(approvalById(db, id)!)
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
  | { allowed: false; addresses: ResolvedAddress[]; reason: string; addressChange?: AddressChange }

/**
 * An approved name's resolution against the addresses pinned at approval. Null when it holds (or
 * the extra addresses are approved by address); else why not, with what re-approval would change.
 */
function pinBreach(
  db: Db,
  dest: { host: string; port: number; label: string },
  approval: Approval,
  outside: string[],
): { reason: string; addressChange: AddressChange } | null {
  const pinned = approval.addresses
  const unexpected = outside.filter((a) => !pinned?.includes(a) && !findApproval(db, a, dest.port))
  if (pinned && unexpected.length === 0) return null
  const addressChange: AddressChange = {
    approvalId: approval.id,
    host: approval.host,
    port: approval.port,
    approved: pinned ?? [],
    resolved: outside,
  }
  const fix = `re-approve it (approval ${approval.id}) if the new address is right`
  const reason = pinned
    ? `${dest.host} now resolves to ${unexpected.join(', ')}, not the address${pinned.length > 1 ? 'es' : ''} approved on ${approval.approvedAt} (${pinned.join(', ')}); ${fix}`
    : `${dest.host} was approved on ${approval.approvedAt} without recording its addresses and now resolves to ${outside.join(', ')}; ${fix}`
  return { reason, addressChange }
}

/**
 * Decides on a destination whose name has been resolved to `addresses`: every address must be
 * loopback, or covered by an approval of that address, or be one the approved name resolved to
 * when it was approved (pinned). The connection then goes to the first address (pinned), never
 * to a fresh resolution.
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
  const nameApproval = isIP(dest.host) === 0 ? findApproval(db, dest.host, dest.port) : null
  if (nameApproval) {
    const outside = pinnableAddresses(addresses.filter((a) => !isLoopback(a.address)).map((a) => a.address))
    const breach = pinBreach(db, dest, nameApproval, outside)
    if (breach) return { allowed: false, addresses, ...breach }
    return { allowed: true, addresses, pinned: addresses[0]!, basis: 'approved', approval: nameApproval }
  }
  let approval: Approval | null = null
  for (const a of addresses) {
    if (isLoopback(a.address)) continue
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
