import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { processGone } from '../app/process'

/**
 * Who executes a run. The executing process holds a lease ('<host>:<pid>:<nonce>') that it renews
 * while it runs; a run recorded as running whose lease expired, or whose process on this machine
 * is gone (killed, crashed), was interrupted and may be resumed by anyone.
 */

export const LEASE_MS = 15_000
export const LEASE_RENEW_MS = 5_000

export function newLeaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
}

export function leaseState(
  owner: string | null,
  until: string | null,
  now: number = Date.now(),
): { stale: boolean; pid: number | null } {
  if (!owner || !until) return { stale: true, pid: null }
  const parts = owner.split(':')
  const host = parts.slice(0, -2).join(':')
  const pid = Number(parts[parts.length - 2])
  if (Date.parse(until) < now) return { stale: true, pid }
  if (processGone(host, pid)) return { stale: true, pid }
  return { stale: false, pid }
}

export type ControlRequest = 'pause' | 'cancel' | 'lost' | null

/**
 * Keeps a lease held while work executes: reads what another process asked through the control
 * column, notices when another process took the work over (the lease owner changed), and renews
 * the lease every LEASE_RENEW_MS. The SQL is the owner's (runs today).
 */
export class LeaseKeeper {
  private lastRenew = Date.now()

  constructor(
    private readonly owner: string,
    private readonly read: () =>
      { control: 'pause' | 'cancel' | null; lease_owner: string | null } | undefined,
    private readonly renew: (until: string) => void,
  ) {}

  check(): ControlRequest {
    const row = this.read()
    if (!row || row.lease_owner !== this.owner) return 'lost'
    if (Date.now() - this.lastRenew >= LEASE_RENEW_MS) {
      this.renew(new Date(Date.now() + LEASE_MS).toISOString())
      this.lastRenew = Date.now()
    }
    return row.control
  }
}
