import { ZodError } from 'zod'
import type { ApiErrorShape, Envelope } from '../../shared/api/envelope'
import { invokeContract, isInvokeChannel } from '../../shared/api/contract'
import type { Handlers } from '../../shared/api/handlers'
import { isAppError } from '../errors'
import { isTrustedSender, type SenderInfo } from '../security/policy'

// The handler-map types live next to the contract (src/shared/api/handlers.ts), so features never
// import from ipc/; re-exported here for the router's callers.
export type { Handler, Handlers, HandlersFor } from '../../shared/api/handlers'

export interface Router {
  invoke(channel: unknown, raw: unknown, sender: SenderInfo): Promise<Envelope<unknown>>
}

export interface RouterOptions {
  /** Origins whose top-level frame may call main (the app's own origin; the dev server in dev). */
  trustedOrigins: readonly string[]
  /** Where unexpected failures are reported (never with request bodies). */
  onInternalError?: (channel: string, error: unknown) => void
  /** Turns a failure into what the user should read (database errors → one plain line). */
  describeError?: (error: unknown) => unknown
}

function fail(error: ApiErrorShape): Envelope<never> {
  return { ok: false, error }
}

function zodIssues(e: ZodError): ApiErrorShape['issues'] {
  return e.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
    message: i.message,
  }))
}

/**
 * The one dispatcher between the renderer and main. It checks the sender, validates the input
 * against the contract, calls the handler, validates the output and wraps the result (or the
 * failure) in an envelope. The Electron binding and the browser test bridge both use it as is.
 */
export function createRouter(handlers: Handlers, options: RouterOptions): Router {
  return {
    async invoke(channel, raw, sender) {
      if (!isInvokeChannel(channel)) {
        return fail({ code: 'unknown_channel', message: `Unknown channel: ${String(channel).slice(0, 100)}` })
      }
      if (!isTrustedSender(sender, options.trustedOrigins)) {
        return fail({ code: 'forbidden', message: 'Calls are accepted only from the app’s own window.' })
      }
      const spec = invokeContract[channel]
      const parsed = spec.input.safeParse(raw)
      if (!parsed.success) {
        return fail({
          code: 'invalid_input',
          message: `Invalid input for ${channel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`,
          issues: zodIssues(parsed.error),
        })
      }
      try {
        const handler = handlers[channel] as (input: unknown) => unknown
        const value = await handler(parsed.data)
        const out = spec.output.safeParse(value)
        if (!out.success) {
          options.onInternalError?.(channel, out.error)
          return fail({ code: 'internal', message: `Main produced an invalid result for ${channel}.` })
        }
        return { ok: true, value: out.data }
      } catch (thrown) {
        const e = options.describeError ? options.describeError(thrown) : thrown
        if (isAppError(e))
          return fail({ code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) })
        if (e instanceof ZodError)
          return fail({ code: 'invalid_input', message: e.message, issues: zodIssues(e) })
        options.onInternalError?.(channel, e)
        return fail({ code: 'internal', message: e instanceof Error ? e.message : String(e) })
      }
    },
  }
}
