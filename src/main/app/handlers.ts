import type { appContract } from '../../shared/api/app'
import { dbInfo } from '../db/info'
import { schemaVersion } from '../db/migrate'
import type { HandlersFor } from '../ipc/router'
import type { AppContext } from './context'
import { APP_NAME, APP_VERSION } from './version'
import { checkOllamaStatus } from '../models/ollama-status'

export function appHandlers(ctx: AppContext): HandlersFor<keyof typeof appContract> {
  return {
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
