import type { EgressNetwork } from '../../../src/main/egress/guard'
import type { ResolvedAddress } from '../../../src/main/egress/policy'

/**
 * A scripted view of the network for policy tests: names resolve as listed (a function is called
 * on every lookup, for rebinding tests), and ONLY 127.0.0.1 counts as loopback, so a second
 * listener on 127.0.0.2 plays a host outside the machine while all traffic stays on loopback.
 */
export function scriptedNetwork(
  names: Record<string, string[] | (() => string[])> = {},
): EgressNetwork & { lookups: string[] } {
  const lookups: string[] = []
  return {
    lookups,
    async lookup(host: string): Promise<ResolvedAddress[]> {
      lookups.push(host)
      const entry = names[host]
      if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
      const list = typeof entry === 'function' ? entry() : entry
      return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    },
    isLoopback: (address: string) => address === '127.0.0.1',
  }
}
