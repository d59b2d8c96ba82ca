import type { AppContext } from '../app/context'
import { createSaveTargets, type PickSaveFile } from '../app/save-targets'
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
import { exportHandlers } from '../export/handlers'
import { reportHandlers } from '../report/handlers'
import type { Handlers } from './router'

/** What only the host can provide (the desktop app's native dialogs); absent in the CLI and tests. */
export interface HostServices {
  pickFile?: PickFile
  /** Native open/save dialogs for review packets and ratings files. */
  pickPath?: PickPath
  /** A native save dialog; the paths chosen in it are the only ones outside the exports folder the renderer can have written. */
  pickSaveFile?: PickSaveFile
}

/** Every channel's handler, built over one AppContext. A missing channel is a compile error. */
export function createHandlers(ctx: AppContext, host: HostServices = {}): Handlers {
  const saveTargets = createSaveTargets()
  return {
    ...appHandlers(ctx, { saveTargets, ...(host.pickSaveFile ? { pickSaveFile: host.pickSaveFile } : {}) }),
    ...benchmarksHandlers(ctx, host.pickFile ? { pickFile: host.pickFile } : {}),
    ...modelsHandlers(ctx, { saveTargets }),
    ...runsHandlers(ctx, { saveTargets }),
    ...scoringHandlers(ctx),
    ...juryHandlers(ctx),
    ...leaderboardHandlers(ctx),
    ...reviewHandlers(ctx, { saveTargets, ...(host.pickPath ? { pickPath: host.pickPath } : {}) }),
    ...calibrationHandlers(ctx),
    ...auditHandlers(ctx),
    ...exportHandlers(ctx, { saveTargets }),
    ...reportHandlers(ctx, { saveTargets }),
  } satisfies Handlers
}
