import { describe, expect, it } from 'vitest'
import {
  DOWN_AFTER,
  MAX_COOLDOWN_MS,
  answered,
  failedRequest,
  gate,
  isDown,
  newHealth,
} from '../../../src/main/dispatch/endpoint-health'

describe('endpoint health', () => {
  it('a pooled endpoint goes down after three failures in a row, then one probe at a time', () => {
    const h = newHealth(1000)
    expect(failedRequest(h, 0, true, 'refused')).toBe(false)
    expect(failedRequest(h, 0, true, 'refused')).toBe(false)
    expect(DOWN_AFTER).toBe(3)
    expect(failedRequest(h, 10, true, 'refused')).toBe(true)
    expect(isDown(h)).toBe(true)
    expect(gate(h, 500)).toEqual({ waitUntil: 1010 })
    expect(gate(h, 1010)).toBe('probe')
    h.probing = true
    expect(gate(h, 1020)).toEqual({ waitUntil: null })
    // The probe fails: out for twice as long.
    expect(failedRequest(h, 1100, true, 'refused')).toBe(false)
    expect(h).toMatchObject({ probing: false, cooldownMs: 2000, downUntil: 3100, reason: 'refused' })
    // The next probe is answered: back in.
    answered(h, 1000)
    expect(gate(h, 3200)).toBe('open')
    expect(h).toMatchObject({ failuresInARow: 0, downUntil: 0, cooldownMs: 1000, reason: null })
  })

  it('a lone endpoint is never taken out (retries with backoff govern it); the cool-down is capped', () => {
    const lone = newHealth(1000)
    for (let i = 0; i < 10; i++) expect(failedRequest(lone, i, false, 'x')).toBe(false)
    expect(gate(lone, 10)).toBe('open')
    const h = newHealth(40_000)
    for (let i = 0; i < 3; i++) failedRequest(h, 0, true, 'x')
    failedRequest(h, 50_000, true, 'x')
    expect(h.cooldownMs).toBe(MAX_COOLDOWN_MS)
  })

  it('one answer between failures starts the count again', () => {
    const h = newHealth(1000)
    failedRequest(h, 0, true, 'x')
    failedRequest(h, 0, true, 'x')
    answered(h, 1000)
    expect(failedRequest(h, 0, true, 'x')).toBe(false)
    expect(isDown(h)).toBe(false)
  })
})
