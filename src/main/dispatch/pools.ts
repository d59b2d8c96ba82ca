import { gate, isDown, type EndpointHealth } from './endpoint-health'

/**
 * The dispatcher's work, keyed by endpoint and model. A *pool* is one model's work (one queue);
 * the endpoints serving that model are its *lanes* and take their work from the shared queue, so
 * when one endpoint of a pool fails, its peers carry on (failover). Each endpoint has its own
 * concurrency limit across all the models it serves; a pool may have its own limit too.
 */

export interface Job<P> {
  /** The durable id of the work item (run_items.id, …): what the commit hook writes. */
  id: number
  /** Requests sent for this item so far, in every execution (stored). */
  attempts: number
  /** Failed tries in this execution: what the retry limit counts (a resume starts afresh). */
  tries: number
  notBefore: number
  /** Endpoints this item failed on since its last counted try (it moves on to a peer first). */
  failedOn: number[]
  /** Endpoints that should leave this item to a peer. */
  avoid: number[]
  payload: P
}

/** One model on one endpoint. */
export interface Lane<M> {
  pool: string
  modelKey: string
  modelName: string
  member: M
  /** Why this endpoint no longer serves this model in this execution, or null. */
  disabled: string | null
  /** Items of this model failing one after another on this endpoint after every try. */
  exhaustedInARow: number
}

export interface EndpointState<M> {
  id: number
  name: string
  limit: number
  timeoutMs: number
  /** Pool key → this endpoint's lane for that pool. */
  lanes: Map<string, Lane<M>>
  rr: number
  health: EndpointHealth
  /** Aborts this endpoint's requests in flight when it is taken out (they move to peers). */
  abort: AbortController
}

export interface Pool<P, M> {
  key: string
  queue: Job<P>[]
  head: number
  delayed: Job<P>[]
  inFlight: number
  /** At most this many requests of this pool at once over all its endpoints (per-model limit). */
  limit: number
  endpoints: EndpointState<M>[]
  /** More work may be read from the producer (streamed, not materialised). */
  more: boolean
}

/** The next job for an endpoint, a time to wait until (null: until something changes), or null when done. */
export type Take<P, M> =
  { job: Job<P>; pool: Pool<P, M>; lane: Lane<M> } | { waitUntil: number | null } | null

/** Work left in a pool: queued, still to be read, waiting to be retried, or in flight. */
export function hasWork(pool: Pool<unknown, unknown>): boolean {
  return pool.head < pool.queue.length || pool.more || pool.delayed.length > 0 || pool.inFlight > 0
}

/** An item this endpoint should leave to a peer is still its own when no peer can serve it. */
export function mayTake<P, M>(ep: EndpointState<M>, pool: Pool<P, M>, job: Job<P>): boolean {
  if (!job.avoid.includes(ep.id)) return true
  return !pool.endpoints.some(
    (e) => e !== ep && !job.avoid.includes(e.id) && e.lanes.get(pool.key)?.disabled === null,
  )
}

/** An endpoint of the pool, other than those the item failed on, that can take it now. */
export function peerFor(pool: Pool<unknown, unknown>, failedOn: number[]): boolean {
  return pool.endpoints.some(
    (e) => !failedOn.includes(e.id) && !isDown(e.health) && e.lanes.get(pool.key)?.disabled === null,
  )
}

/** Another endpoint serves one of this endpoint's pools (it can be taken out without stopping them). */
export function hasPeers<M>(ep: EndpointState<M>, pools: Map<string, Pool<unknown, M>>): boolean {
  return [...ep.lanes.entries()].some(
    ([key, l]) =>
      l.disabled === null &&
      pools.get(key)!.endpoints.some((e) => e !== ep && e.lanes.get(key)?.disabled === null),
  )
}

/** Whether a pool still has an endpoint that serves it. */
export function alive(pool: Pool<unknown, unknown>): boolean {
  return pool.endpoints.some((e) => e.lanes.get(pool.key)?.disabled === null)
}

function dequeue<P>(pool: Pool<P, unknown>): Job<P> {
  const job = pool.queue[pool.head++]!
  if (pool.head > 4096 && pool.head * 2 > pool.queue.length) {
    pool.queue = pool.queue.slice(pool.head)
    pool.head = 0
  }
  return job
}

function nextOf<P, M>(ep: EndpointState<M>, pool: Pool<P, M>, now: number): Job<P> | null {
  const ready = pool.delayed.findIndex((d) => d.notBefore <= now && mayTake(ep, pool, d))
  if (ready >= 0) return pool.delayed.splice(ready, 1)[0]!
  return pool.head < pool.queue.length ? dequeue(pool) : null
}

/**
 * The next job for this endpoint: its pools are served in turn (round robin); retries whose
 * backoff has passed come before new work. `refill` reads more of a pool's work when its queue
 * is empty.
 */
export function take<P, M>(
  ep: EndpointState<M>,
  pools: Map<string, Pool<P, M>>,
  refill: (pool: Pool<P, M>) => void,
): Take<P, M> {
  const mine = [...ep.lanes.entries()].filter(([, l]) => l.disabled === null).map(([k]) => pools.get(k)!)
  if (mine.length === 0) return null
  const now = Date.now()
  const open = gate(ep.health, now)
  if (open !== 'open' && open !== 'probe') return mine.some(hasWork) ? open : null
  let earliest: number | null = null
  let busy = false
  for (let i = 0; i < mine.length; i++) {
    const pool = mine[(ep.rr + i) % mine.length]!
    if (pool.inFlight >= pool.limit) {
      busy = true // its own limit: a slot frees when one of its requests ends
      continue
    }
    if (pool.head >= pool.queue.length && pool.more) refill(pool)
    const job = nextOf(ep, pool, now)
    // The producer has more to give later (it is filling the pool as it goes): wait for it.
    if (!job && pool.more && pool.head >= pool.queue.length) busy = true
    if (job) {
      ep.rr = (ep.rr + i + 1) % mine.length
      if (open === 'probe') ep.health.probing = true
      return { job, pool, lane: ep.lanes.get(pool.key)! }
    }
    for (const d of pool.delayed) {
      if (!mayTake(ep, pool, d)) busy = true
      else earliest = earliest === null ? d.notBefore : Math.min(earliest, d.notBefore)
    }
    if (pool.inFlight > 0) busy = true
  }
  if (earliest !== null) return { waitUntil: earliest }
  return busy ? { waitUntil: null } : null
}
