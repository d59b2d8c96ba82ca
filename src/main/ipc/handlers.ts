import type { AppContext } from '../app/context'
import { appHandlers } from '../app/handlers'
import { auditHandlers } from '../audit/handlers'
import { benchmarksHandlers, type PickFile } from '../benchmarks/handlers'
import { modelsHandlers } from '../models/handlers'
import { runsHandlers } from '../runs/handlers'
import { scoringHandlers } from '../scoring/handlers'
import { juryHandlers } from '../jury/handlers'
import { leaderboardHandlers } from '../analysis/handlers'
import { reviewHandlers, type PickPath } from '../review/handlers'
import { calibrationHandlers } from '../review/calibration-handlers'
import type { Handlers } from './router'

/** What only the host can provide (the desktop app's native dialogs); absent in the CLI and tests. */
export interface HostServices {
  pickFile?: PickFile
  /** Native open/save dialogs for review packets and ratings files. */
  pickPath?: PickPath
}

/** Every channel's handler, built over one AppContext. A missing channel is a compile error. */
export function createHandlers(ctx: AppContext, host: HostServices = {}): Handlers {
  return {
    ...appHandlers(ctx),
    ...benchmarksHandlers(ctx, host.pickFile ? { pickFile: host.pickFile } : {}),
    ...modelsHandlers(ctx),
    ...runsHandlers(ctx),
    ...scoringHandlers(ctx),
    ...juryHandlers(ctx),
    ...leaderboardHandlers(ctx),
    ...reviewHandlers(ctx, host.pickPath ? { pickPath: host.pickPath } : {}),
    ...calibrationHandlers(ctx),
    ...auditHandlers(ctx),
  } satisfies Handlers
}
