import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS, invokeContract } from '../../../src/shared/api/contract'
import { createHandlers } from '../../../src/main/ipc/handlers'
import { createRouter, type Handlers } from '../../../src/main/ipc/router'
import { AppError } from '../../../src/main/errors'
import { APP_ORIGIN } from '../../../src/main/security/policy'
import { tempContext, type TempContext } from '../../support/context'
import { APP_SENDER } from '../../support/router'

const trusted = APP_SENDER
const untrusted = [
  { name: 'an iframe of the app', sender: { url: `${APP_ORIGIN}/index.html`, isMainFrame: false } },
  { name: 'a foreign origin', sender: { url: 'https://evil.example/', isMainFrame: true } },
  { name: 'a look-alike origin', sender: { url: 'app://wardeval.evil/index.html', isMainFrame: true } },
  { name: 'a file:// page', sender: { url: 'file:///tmp/x.html', isMainFrame: true } },
  { name: 'a null frame', sender: { url: null, isMainFrame: false } },
]

let ctx: TempContext
let handlers: Handlers
beforeEach(() => {
  ctx = tempContext()
  handlers = createHandlers(ctx)
})
afterEach(() => ctx.dispose())

describe('contract', () => {
  it('every channel has a handler and every handler a channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...INVOKE_CHANNELS].sort())
  })
  it('channel names are domain:action in kebab case', () => {
    for (const c of INVOKE_CHANNELS) expect(c).toMatch(/^[a-z]+(-[a-z]+)*:[a-z]+(-[a-z]+)*$/)
  })
})

describe('router', () => {
  it('returns a typed result for a valid call', async () => {
    const router = createRouter(handlers, { trustedOrigins: [APP_ORIGIN] })
    const res = await router.invoke('app:db-info', undefined, trusted)
    expect(res.ok).toBe(true)
    if (res.ok) expect(invokeContract['app:db-info'].output.parse(res.value).schemaVersion).toBeGreaterThan(0)
  })

  for (const { name, sender } of untrusted) {
    it(`refuses ${name} on every channel without calling the handler`, async () => {
      const called: string[] = []
      const spy = Object.fromEntries(
        INVOKE_CHANNELS.map((c) => [c, () => (called.push(c), undefined)]),
      ) as unknown as Handlers
      const router = createRouter(spy, { trustedOrigins: [APP_ORIGIN] })
      for (const c of INVOKE_CHANNELS) {
        const res = await router.invoke(c, undefined, sender)
        expect(res).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) })
      }
      expect(called).toEqual([])
    })
  }

  it('refuses unknown channels, including prototype names', async () => {
    const router = createRouter(handlers, { trustedOrigins: [APP_ORIGIN] })
    for (const c of ['fs:read', 'constructor', '__proto__', 'toString', 42]) {
      const res = await router.invoke(c, undefined, trusted)
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_channel' } })
    }
  })

  it('refuses invalid input with the issues, without calling the handler', async () => {
    let called = false
    const router = createRouter(
      { ...handlers, 'app:info': () => ((called = true), handlers['app:info'](undefined)) },
      {
        trustedOrigins: [APP_ORIGIN],
      },
    )
    const res = await router.invoke('app:info', { path: '/etc' }, trusted)
    expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(called).toBe(false)
  })

  it('maps an AppError to its code and message', async () => {
    const router = createRouter(
      {
        ...handlers,
        'app:info': () => {
          throw new AppError('bad_data', 'notes.csv line 3, field "input": empty')
        },
      },
      { trustedOrigins: [APP_ORIGIN] },
    )
    expect(await router.invoke('app:info', undefined, trusted)).toEqual({
      ok: false,
      error: { code: 'bad_data', message: 'notes.csv line 3, field "input": empty' },
    })
  })

  it('reports an unexpected failure as internal and tells the host', async () => {
    const seen: string[] = []
    const router = createRouter(
      {
        ...handlers,
        'app:info': () => {
          throw new TypeError('boom')
        },
      },
      { trustedOrigins: [APP_ORIGIN], onInternalError: (c) => seen.push(c) },
    )
    expect(await router.invoke('app:info', undefined, trusted)).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
    expect(seen).toEqual(['app:info'])
  })

  it('refuses to return an output that breaks the contract', async () => {
    const seen: string[] = []
    const router = createRouter(
      { ...handlers, 'app:info': () => ({ name: 'WardEval' }) as never },
      { trustedOrigins: [APP_ORIGIN], onInternalError: (c) => seen.push(c) },
    )
    expect(await router.invoke('app:info', undefined, trusted)).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    })
    expect(seen).toEqual(['app:info'])
  })
})
