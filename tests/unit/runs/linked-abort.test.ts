import { describe, expect, it } from 'vitest'
import { linkedAbort } from '../../../src/main/dispatch/abort'

describe('linkedAbort (per-request signal over long-lived ones)', () => {
  it('aborts with the reason of whichever source aborts first', () => {
    const run = new AbortController()
    const endpoint = new AbortController()
    const linked = linkedAbort([run.signal, endpoint.signal])
    expect(linked.signal.aborted).toBe(false)
    endpoint.abort(new Error('endpoint taken out'))
    expect(linked.signal.aborted).toBe(true)
    expect((linked.signal.reason as Error).message).toBe('endpoint taken out')
    linked.release()
  })

  it('is aborted at once when a source already is', () => {
    const run = new AbortController()
    run.abort(new DOMException('Paused', 'AbortError'))
    const linked = linkedAbort([run.signal, new AbortController().signal])
    expect(linked.signal.aborted).toBe(true)
    expect((linked.signal.reason as DOMException).message).toBe('Paused')
  })

  it('once released, a later abort of the source no longer reaches it (nothing is left on the source)', () => {
    const run = new AbortController()
    const signals = Array.from({ length: 1000 }, () => {
      const l = linkedAbort([run.signal])
      l.release()
      return l.signal
    })
    run.abort()
    expect(signals.every((s) => !s.aborted)).toBe(true)
  })
})
