/**
 * Whether an endpoint of a pool is answering. After DOWN_AFTER failed requests in a row (each
 * worth retrying: connection refused or dropped, timeout, 5xx) an endpoint that shares a pool
 * with others is taken out for a cool-down, so its peers get the pool's work; then one request
 * probes it: an answer brings it back, a failure doubles the cool-down (up to a minute). A run
 * never waits on a dead endpoint while a peer can do the work.
 */

export const DOWN_AFTER = 3
export const MAX_COOLDOWN_MS = 60_000

export interface EndpointHealth {
  failuresInARow: number
  /** Out until this time (ms); 0 while up. */
  downUntil: number
  cooldownMs: number
  /** A probe request is in flight (while down, only one at a time). */
  probing: boolean
  /** Why it went down (the last failure), for progress and messages. */
  reason: string | null
}

export function newHealth(cooldownMs: number): EndpointHealth {
  return { failuresInARow: 0, downUntil: 0, cooldownMs, probing: false, reason: null }
}

export function isDown(h: EndpointHealth): boolean {
  return h.downUntil > 0
}

/** May this endpoint take an item now? 'probe' when it is down and its cool-down has passed. */
export function gate(h: EndpointHealth, now: number): 'open' | 'probe' | { waitUntil: number | null } {
  if (h.downUntil === 0) return 'open'
  if (h.probing) return { waitUntil: null }
  if (now < h.downUntil) return { waitUntil: h.downUntil }
  return 'probe'
}

export function answered(h: EndpointHealth, baseCooldownMs: number): void {
  h.failuresInARow = 0
  h.downUntil = 0
  h.probing = false
  h.cooldownMs = baseCooldownMs
  h.reason = null
}

/**
 * Records a failed request worth retrying. `hasPeers`: another endpoint serves one of its pools
 * (a lone endpoint is never taken out here: retries with backoff govern it). Returns true when
 * the endpoint has just gone down.
 */
export function failedRequest(h: EndpointHealth, now: number, hasPeers: boolean, reason: string): boolean {
  h.failuresInARow++
  h.reason = reason
  if (h.downUntil > 0) {
    // A probe failed: stay out, longer.
    h.probing = false
    h.cooldownMs = Math.min(MAX_COOLDOWN_MS, h.cooldownMs * 2)
    h.downUntil = now + h.cooldownMs
    return false
  }
  if (!hasPeers || h.failuresInARow < DOWN_AFTER) return false
  h.downUntil = now + h.cooldownMs
  return true
}
