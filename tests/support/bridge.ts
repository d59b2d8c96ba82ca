import type { Page } from 'playwright-core'
import type { AppContext } from '../../src/main/app/context'
import { createHandlers } from '../../src/main/ipc/handlers'
import { createRouter } from '../../src/main/ipc/router'

/**
 * Opens the built renderer in `page` with `window.api` bridged to the REAL router and handlers
 * running in this (Node) test process over `ctx`: renderer → contract → handlers → SQLite, exactly
 * as in the app, with Electron's IPC replaced by Playwright's binding. Main → renderer events are
 * forwarded too. Returns a function that detaches the event forwarding.
 */
export async function openApp(page: Page, ctx: AppContext, origin: string): Promise<() => void> {
  const errors: string[] = []
  const router = createRouter(createHandlers(ctx), {
    trustedOrigins: [origin],
    onInternalError: (channel, e) => errors.push(`${channel}: ${e instanceof Error ? e.message : String(e)}`),
  })
  await page.exposeBinding('__wardevalInvoke', (source, channel: unknown, input: unknown) =>
    router.invoke(channel, input, { url: source.frame.url(), isMainFrame: source.frame.parentFrame() === null }),
  )
  await page.addInitScript(() => {
    type Listener = (payload: unknown) => void
    const listeners = new Map<string, Set<Listener>>()
    const w = window as unknown as {
      __wardevalInvoke: (channel: string, input: unknown) => Promise<unknown>
      __wardevalEmit: (channel: string, payload: unknown) => void
      api: unknown
    }
    w.__wardevalEmit = (channel, payload) => {
      for (const l of listeners.get(channel) ?? []) l(payload)
    }
    w.api = Object.freeze({
      invoke: (channel: string, input?: unknown) => w.__wardevalInvoke(channel, input),
      on: (channel: string, listener: Listener) => {
        const set = listeners.get(channel) ?? new Set<Listener>()
        set.add(listener)
        listeners.set(channel, set)
        return () => set.delete(listener)
      },
    })
  })
  const detach = ctx.events.on((channel, payload) => {
    if (page.isClosed()) return
    page
      .evaluate(([c, p]) => (window as unknown as { __wardevalEmit: (c: string, p: unknown) => void }).__wardevalEmit(c, p), [
        channel,
        payload,
      ] as const)
      .catch((e: unknown) => {
        if (!page.isClosed()) errors.push(`event ${channel}: ${e instanceof Error ? e.message : String(e)}`)
      })
  })
  await page.goto(`${origin}/index.html`)
  await page.locator('[data-app-state="ready"]').waitFor()
  return () => {
    detach()
    if (errors.length) throw new Error(`Main-side errors during the test:\n${errors.join('\n')}`)
  }
}
