import type { AppContext } from '../app/context'
import { currentActor } from '../audit/actor'
import type { Db } from '../db/open'
import { EgressGuard, systemNetwork, type EgressNetwork } from './guard'

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
