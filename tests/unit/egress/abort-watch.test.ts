import { getEventListeners } from 'node:events'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchAbort } from '../../../src/main/egress/abort'

afterEach(() => {
  vi.useRealTimers()
})

describe('watchAbort (per-request cancellation without a signal of its own)', () => {
  it('aborts with the reason of the source that aborts, and calls the action once', () => {
    const run = new AbortController()
    const endpoint = new AbortController()
    const watch = watchAbort([run.signal, endpoint.signal])
    const reasons: unknown[] = []
    watch.onAbort((r) => reasons.push(r))
    expect(watch.aborted).toBe(false)
    endpoint.abort(new Error('endpoint taken out'))
    run.abort(new Error('later'))
    expect(watch.aborted).toBe(true)
    expect((watch.reason as Error).message).toBe('endpoint taken out')
    expect(reasons).toHaveLength(1)
    expect(() => watch.throwIfAborted()).toThrow('endpoint taken out')
  })

  it('is aborted at once when a source already is; a late action runs at once', () => {
    const run = new AbortController()
    run.abort(new DOMException('Paused', 'AbortError'))
    const watch = watchAbort([run.signal])
    expect(watch.aborted).toBe(true)
    let got: unknown = null
    watch.onAbort((r) => (got = r))
    expect((got as DOMException).message).toBe('Paused')
  })

  it('the time limit aborts with a TimeoutError, as AbortSignal.timeout does', () => {
    vi.useFakeTimers()
    const watch = watchAbort([], 600_000)
    expect(vi.getTimerCount()).toBe(1)
    vi.advanceTimersByTime(600_000)
    expect(watch.aborted).toBe(true)
    expect((watch.reason as DOMException).name).toBe('TimeoutError')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('released, it leaves nothing behind: no listener on the long-lived sources, no pending timer', () => {
    vi.useFakeTimers()
    const run = new AbortController()
    const endpoint = new AbortController()
    const watches = Array.from({ length: 1000 }, () => watchAbort([run.signal, endpoint.signal], 600_000))
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(1000)
    expect(vi.getTimerCount()).toBe(1000)
    for (const w of watches) w.release()
    expect(getEventListeners(run.signal, 'abort')).toHaveLength(0)
    expect(getEventListeners(endpoint.signal, 'abort')).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
    // A later abort of the source no longer reaches a released watch.
    run.abort()
    expect(watches.every((w) => !w.aborted)).toBe(true)
  })
})
