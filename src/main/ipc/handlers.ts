import type { AppContext } from '../app/context'
import { appHandlers } from '../app/handlers'
import type { Handlers } from './router'

/** Every channel's handler, built over one AppContext. A missing channel is a compile error. */
export function createHandlers(ctx: AppContext): Handlers {
  return {
    ...appHandlers(ctx),
  } satisfies Handlers
}
