import type { Page } from 'playwright-core'
import type { AppContext } from '../../src/main/app/context'
import { createHandlers } from '../../src/main/ipc/handlers'
import { createRouter } from '../../src/main/ipc/router'

/** Builds `window.api` in the page over the exposed binding, and the event entry point. */
const INIT_SCRIPT = `(() => {
  const listeners = new Map()
  window.__wardevalEmit = (channel, payload) => {
    for (const l of listeners.get(channel) || []) l(payload)
  }
  window.api = Object.freeze({
    invoke: (channel, input) => window.__wardevalInvoke(channel, input),
    on: (channel, listener) => {
      const set = listeners.get(channel) || new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
  })
})()`

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
    router.invoke(channel, input, {
      url: source.frame.url(),
      isMainFrame: source.frame.parentFrame() === null,
    }),
  )
  // A string, not a function: transpilers (esbuild's keepNames under tsx) would inject helpers the
  // page does not have.
  await page.addInitScript(INIT_SCRIPT)
  const detach = ctx.events.on((channel, payload) => {
    if (page.isClosed()) return
    page
      .evaluate(`window.__wardevalEmit(${JSON.stringify(channel)}, ${JSON.stringify(payload)})`)
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
