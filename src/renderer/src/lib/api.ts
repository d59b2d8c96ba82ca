import type { z } from 'zod'
import {
  eventContract,
  type EventChannel,
  type EventPayload,
  type In,
  type InvokeChannel,
  type Out,
  type WindowApi,
} from '../../../shared/api/contract'
import { unwrap, type Envelope } from '../../../shared/api/envelope'

declare global {
  interface Window {
    api: WindowApi
  }
}

/**
 * The renderer's only way to reach main: typed calls over `window.api` (exposed by the preload,
 * or by the browser test bridge). Errors come back as envelopes and are rethrown as ApiError.
 * Stores use this; components never touch `window.api` directly.
 */
export const api = {
  async invoke<C extends InvokeChannel>(
    channel: C,
    ...args: In<C> extends undefined ? [] : [In<C>]
  ): Promise<Out<C>> {
    const envelope = (await window.api.invoke(channel, args[0])) as Envelope<Out<C>>
    return unwrap(envelope)
  },
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void {
    const schema: z.ZodType = eventContract[channel]
    return window.api.on(channel, (raw) => {
      const parsed = schema.safeParse(raw)
      if (parsed.success) listener(parsed.data as EventPayload<E>)
      else console.error(`Dropped malformed ${channel} event`, parsed.error.issues)
    })
  },
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
