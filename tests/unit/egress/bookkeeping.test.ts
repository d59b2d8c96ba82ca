import { getEventListeners } from 'node:events'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { openIntents } from '../../../src/main/audit/intents'
import { EgressRefusedError } from '../../../src/main/egress/errors'
import { EgressGuard } from '../../../src/main/egress/guard'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { scriptedNetwork } from './helpers'

/**
 * What a request leaves behind once it has ended: nothing. A run sends hundreds of thousands of
 * requests with the same long-lived signals (the run's, its endpoints') and the same time limit;
 * anything kept per request (a listener, a pending timer, an in-flight entry) grows with the run.
 */

let inside: FakeOllama
let ctx: TempContext
const listing = { kind: 'model_listing' } as const
/** A time limit no other timer in this test uses, so its timers can be told apart. */
const LIMIT_MS = 987_654

beforeAll(async () => {
  inside = await startFakeOllama({ host: '127.0.0.1' })
})
afterAll(async () => {
  await inside.close()
})
beforeEach(() => {
  ctx = tempContext()
  inside.reset()
  inside.clearFaults()
})
afterEach(() => {
  vi.restoreAllMocks()
  ctx.dispose()
})

/** Counts the timers made for LIMIT_MS and how many of them were cleared. */
function limitTimers() {
  const made = new Set<unknown>()
  const cleared = new Set<unknown>()
  const realSet = globalThis.setTimeout
  const realClear = globalThis.clearTimeout
  vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
    fn: () => void,
    ms?: number,
    ...args: unknown[]
  ) => {
    const t = realSet(fn, ms, ...args)
    if (ms === LIMIT_MS) made.add(t)
    return t
  }) as typeof setTimeout)
  vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((t?: NodeJS.Timeout) => {
    if (made.has(t)) cleared.add(t)
    return realClear(t)
  }) as typeof clearTimeout)
  return { made, cleared }
}

describe('egress guard: nothing per request outlives the request', () => {
  it('after many requests (one at a time and 16 at once) the caller’s signal has no listener left, every time limit is cleared, nothing is in flight', async () => {
    const g = new EgressGuard(ctx.db, { actor: 'tester', network: scriptedNetwork() })
    const run = new AbortController()
    const timers = limitTimers()
    const one = async () => {
      const res = await g.request({
        url: `${inside.url}/api/version`,
        purpose: listing,
        signal: run.signal,
        timeoutMs: LIMIT_MS,
      })
      await res.text()
    }
    for (let i = 0; i < 20; i++) await one()
    await Promise.all(Array.from({ length: 16 }, () => Promise.all([one(), one(), one()])))
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
    expect(timers.made.size).toBe(20 + 48)
    expect(timers.cleared.size).toBe(timers.made.size)
    expect(openIntents(ctx.db)).toEqual({ unfinished: [], inFlight: [] })
  })

  it('a fetch bound to a signal, called with a signal of its own, leaves no listener on either', async () => {
    const g = new EgressGuard(ctx.db, { actor: 'tester', network: scriptedNetwork() })
    const bound = new AbortController()
    const own = new AbortController()
    const fetchFn = g.fetchFor({ purpose: listing, signal: bound.signal, timeoutMs: LIMIT_MS })
    for (let i = 0; i < 10; i++)
      await (await fetchFn(`${inside.url}/api/version`, { signal: own.signal })).text()
    expect(getEventListeners(bound.signal, 'abort')).toHaveLength(0)
    expect(getEventListeners(own.signal, 'abort')).toHaveLength(0)
  })

  it('a request that fails before anything is sent (refused) or ends in an HTTP error releases the same way', async () => {
    const g = new EgressGuard(ctx.db, { actor: 'tester', network: scriptedNetwork() })
    const run = new AbortController()
    const timers = limitTimers()
    const outside = 'http://127.0.0.2:9/api/version' // not loopback for this policy: refused
    await expect(
      g.request({ url: outside, purpose: listing, signal: run.signal, timeoutMs: LIMIT_MS }),
    ).rejects.toBeInstanceOf(EgressRefusedError)
    inside.inject({ match: '/api/version', fault: { type: 'status', status: 503 }, times: 1 })
    const res = await g.request({
      url: `${inside.url}/api/version`,
      purpose: listing,
      signal: run.signal,
      timeoutMs: LIMIT_MS,
    })
    expect(res.status).toBe(503)
    await res.text()
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
    expect(timers.made.size).toBe(2)
    expect(timers.cleared.size).toBe(2)
  })
})
