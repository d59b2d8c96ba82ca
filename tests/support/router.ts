import type { AppContext } from '../../src/main/app/context'
import { describeDatabaseError } from '../../src/main/db/errors'
import { readOnlyReason } from '../../src/main/db/open'
import { createHandlers } from '../../src/main/ipc/handlers'
import { createRouter, type Router, type RouterOptions } from '../../src/main/ipc/router'
import { APP_ORIGIN, type SenderInfo } from '../../src/main/security/policy'

/** The app's own top-level frame: the sender the router trusts. */
export const APP_SENDER: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isMainFrame: true }

/** The real router over every handler of `ctx`, trusting the app's origin. */
export function routerFor(ctx: AppContext, options: Partial<RouterOptions> = {}): Router {
  return createRouter(createHandlers(ctx), {
    trustedOrigins: [APP_ORIGIN],
    describeError: (e) => describeDatabaseError(e, ctx.dbPath, readOnlyReason(ctx.db)),
    ...options,
  })
}

/** Calls a channel as the app's window does and returns its value, or throws with the error code. */
export async function callThrough<T = never>(router: Router, channel: string, input?: unknown): Promise<T> {
  const res = await router.invoke(channel, input, APP_SENDER)
  if (!res.ok) throw new Error(`${channel}: ${res.error.code}: ${res.error.message}`)
  return res.value as T
}
