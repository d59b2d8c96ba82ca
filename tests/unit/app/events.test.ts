import { describe, expect, it } from 'vitest'
import { EventBus } from '../../../src/main/app/events'
import { eventContract } from '../../../src/shared/api/contract'

describe('EventBus', () => {
  it('delivers validated payloads (with defaults applied) to every listener until unsubscribed', () => {
    const bus = new EventBus(() => eventContract)
    const a: unknown[] = []
    const b: unknown[] = []
    const offA = bus.on((c, p) => a.push([c, p]))
    bus.on((c, p) => b.push([c, p]))
    const payload = {
      jobId: 'j1',
      kind: 'import',
      label: 'pubmedqa.json',
      done: 3,
      total: 10,
      state: 'running' as const,
    }
    bus.emit('job:progress', payload as never)
    expect(a).toEqual([['job:progress', { ...payload, unit: 'items', message: null }]])
    offA()
    bus.emit('job:progress', { ...payload, done: 10, state: 'done' } as never)
    expect(a).toHaveLength(1)
    expect(b).toHaveLength(2)
  })

  it('refuses a malformed payload or an unknown channel instead of sending it', () => {
    const bus = new EventBus(() => eventContract)
    const seen: unknown[] = []
    bus.on((c) => seen.push(c))
    expect(() => bus.emit('job:progress', { jobId: 'x' } as never)).toThrow()
    expect(() => bus.emit('nope:event' as never, {} as never)).toThrow(/Unknown event channel/)
    expect(seen).toEqual([])
  })

  it('loads the event contract at the first emit, once (a process that emits nothing never does)', () => {
    let loads = 0
    const bus = new EventBus(() => (loads++, eventContract))
    bus.on(() => {})
    expect(loads).toBe(0)
    const progress = { jobId: 'j', kind: 'import', label: 'x', done: 1, total: 2, state: 'running' as const }
    bus.emit('job:progress', progress as never)
    bus.emit('job:progress', progress as never)
    expect(loads).toBe(1)
  })
})
