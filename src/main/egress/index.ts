import { isIP } from 'node:net'
import type { Approval } from '../../shared/api/models'
import type { AppContext } from '../app/context'
import { currentActor } from '../audit/actor'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { EgressGuard, systemNetwork, type EgressNetwork } from './guard'
import {
  approveDestination,
  listApprovals,
  normalizeApprovalHost,
  pinnableAddresses,
  reapproveDestination,
  type ApproveInput,
} from './policy'

export {
  EgressGuard,
  systemNetwork,
  type EgressNetwork,
  type EgressRequest,
  type FetchBinding,
} from './guard'
export { EgressConnectionError, EgressRefusedError } from './errors'

const guards = new WeakMap<Db, EgressGuard>()
let networkOverride: EgressNetwork | null = null

/**
 * The egress guard of this context's database — the one way out of the process. Created on first
 * use, acting as the OS user running WardEval.
 */
export function egressGuard(ctx: Pick<AppContext, 'db' | 'env'>): EgressGuard {
  let guard = guards.get(ctx.db)
  if (!guard) {
    guard = new EgressGuard(ctx.db, {
      actor: currentActor(ctx.env),
      network: networkOverride ?? systemNetwork,
    })
    guards.set(ctx.db, guard)
  }
  return guard
}

/**
 * Tests only: makes guards created from now on see the network through `network` (a scripted
 * resolver, a narrower idea of loopback), so policy refusals can be proven with loopback-only
 * traffic. Returns a function that restores the system network. Not reachable from the CLI, the
 * environment or the renderer.
 */
export function overrideEgressNetworkForTests(network: EgressNetwork): () => void {
  networkOverride = network
  return () => {
    networkOverride = null
  }
}

/**
 * Approves a destination; a host name is resolved first (through the guard's view of the network)
 * and the approval pins every address it resolves to now.
 */
export async function approveHost(
  ctx: Pick<AppContext, 'db' | 'env'>,
  input: Omit<ApproveInput, 'addresses' | 'approvedBy'> & { approvedBy?: string },
): Promise<Approval> {
  const guard = egressGuard(ctx)
  const { host } = normalizeApprovalHost(input.host)
  const addresses = isIP(host) === 0 ? await resolveForApproval(guard, host) : []
  return approveDestination(ctx.db, { ...input, approvedBy: input.approvedBy ?? guard.actor, addresses })
}

/**
 * Re-approves approval `id` at the addresses its name resolves to now. With `expected`, refuses
 * unless those are exactly the addresses now (what the person re-approving was shown).
 */
export async function reapproveHost(
  ctx: Pick<AppContext, 'db' | 'env'>,
  id: number,
  expected?: readonly string[],
): Promise<Approval> {
  const guard = egressGuard(ctx)
  const approval = listApprovals(ctx.db).find((a) => a.id === id)
  if (!approval) throw new AppError('not_found', `No egress approval with id ${id}.`)
  const now = pinnableAddresses(
    isIP(approval.host) === 0 ? await resolveForApproval(guard, approval.host) : [],
  )
  if (expected && pinnableAddresses(expected).join(' ') !== now.join(' ')) {
    throw new AppError(
      'conflict',
      `${approval.host} now resolves to ${now.join(', ') || 'nothing'}, not ${pinnableAddresses(expected).join(', ')}: review the change again.`,
    )
  }
  return reapproveDestination(ctx.db, { id, addresses: now, approvedBy: guard.actor })
}

async function resolveForApproval(guard: EgressGuard, host: string): Promise<string[]> {
  try {
    return (await guard.lookup(host)).map((a) => a.address)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EAI_FAIL'
    throw new AppError(
      'unavailable',
      `host: ${host} could not be resolved (${code}); approve it once it resolves, or approve its IP address.`,
    )
  }
}
