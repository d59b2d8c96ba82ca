import { beforeEach, describe, expect, it, vi } from 'vitest'
import { EVENT_CHANNELS, INVOKE_CHANNELS, type WindowApi } from '../../../src/shared/api/contract'

const exposed: Record<string, unknown> = {}
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, value: 1 }))
const on = vi.fn()
const removeListener = vi.fn()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
  ipcRenderer: { invoke, on, removeListener },
}))

describe('preload', () => {
  beforeEach(async () => {
    vi.resetModules()
    for (const k of Object.keys(exposed)) delete exposed[k]
    invoke.mockClear()
    on.mockClear()
    await import('../../../src/preload/index')
  })

  it('exposes exactly one frozen object, window.api, with invoke and on', () => {
    expect(Object.keys(exposed)).toEqual(['api'])
    const api = exposed.api as WindowApi
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('forwards contract channels and refuses any other', async () => {
    const api = exposed.api as WindowApi
    for (const c of INVOKE_CHANNELS) await api.invoke(c, undefined)
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(INVOKE_CHANNELS)
    await expect(api.invoke('fs:read', '/etc/passwd')).rejects.toThrow(/Unknown channel/)
    await expect(api.invoke('__proto__')).rejects.toThrow(/Unknown channel/)
    expect(invoke).toHaveBeenCalledTimes(INVOKE_CHANNELS.length)
  })

  it('subscribes to contract events only, hiding the IPC event from the page', () => {
    const api = exposed.api as WindowApi
    expect(() => api.on('ipc:anything', () => {})).toThrow(/Unknown event/)
    const received: unknown[] = []
    const channel = EVENT_CHANNELS[0]!
    const off = api.on(channel, (p) => received.push(p))
    const wrapped = on.mock.calls[0]![1] as (e: unknown, p: unknown) => void
    wrapped({ sender: 'secret' }, { done: 1 })
    expect(received).toEqual([{ done: 1 }])
    off()
    expect(removeListener).toHaveBeenCalledWith(channel, wrapped)
  })
})
