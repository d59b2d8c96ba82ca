import type { appContract } from '../../shared/api/app'
import { dbInfo } from '../db/info'
import { schemaVersion } from '../db/migrate'
import type { HandlersFor } from '../../shared/api/handlers'
import type { AppContext } from './context'
import { createSaveTargets, type PickSaveFile, type SaveTargets } from './save-targets'
import { APP_NAME, APP_VERSION } from './version'
import { checkOllamaStatus } from '../models/ollama-status'

export interface AppHandlerDeps {
  /** The host's native save dialog (the Electron composition root); absent in browser tests and headless. */
  pickSaveFile?: PickSaveFile
  /** Where chosen paths are recorded for the handlers that write files. */
  saveTargets: SaveTargets
}

export function appHandlers(
  ctx: AppContext,
  deps: AppHandlerDeps = { saveTargets: createSaveTargets() },
): HandlersFor<keyof typeof appContract> {
  return {
    'app:pick-save-file': async ({ defaultName, extensions, probe }) => {
      if (!deps.pickSaveFile) return { available: false, path: null }
      if (probe) return { available: true, path: null }
      const path = await deps.pickSaveFile({ defaultName, extensions })
      if (path) deps.saveTargets.remember(path)
      return { available: true, path }
    },
    'app:info': () => ({
      name: APP_NAME,
      version: APP_VERSION,
      dataDir: ctx.dataDir,
      dbPath: ctx.dbPath,
      schemaVersion: schemaVersion(ctx.db),
      platform: process.platform,
    }),
    'app:db-info': () => dbInfo(ctx.db, ctx.dbPath),
    'app:ollama-status': () => checkOllamaStatus(ctx),
  }
}
