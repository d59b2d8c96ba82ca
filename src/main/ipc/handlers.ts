import type { AppContext } from '../app/context'
import { appHandlers } from '../app/handlers'
import { benchmarksHandlers } from '../benchmarks/handlers'
import { modelsHandlers } from '../models/handlers'
import { runsHandlers } from '../runs/handlers'
import { scoringHandlers } from '../scoring/handlers'
import { juryHandlers } from '../jury/handlers'
import type { Handlers } from './router'

/** Every channel's handler, built over one AppContext. A missing channel is a compile error. */
export function createHandlers(ctx: AppContext): Handlers {
  return {
    ...appHandlers(ctx),
    ...benchmarksHandlers(ctx),
    ...modelsHandlers(ctx),
    ...runsHandlers(ctx),
    ...scoringHandlers(ctx),
    ...juryHandlers(ctx),
  } satisfies Handlers
}
