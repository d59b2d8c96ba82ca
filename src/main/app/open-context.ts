import { dirname } from 'node:path'
import { removeOrphanedStaging } from '../benchmarks/staging'
import { describeDatabaseError } from '../db/errors'
import { closeDatabase, openDatabase, readOnlyReason, type Db } from '../db/open'
import { AppError } from '../errors'
import type { KeyProtector } from '../signing/key'
import { EventBus, type LoadEventContract } from './events'
import { hostFolders, resolveDbPath } from './paths'
import type { WorkerScripts } from './worker-scripts'
import { checkpointInBackground } from '../db/checkpoints'

/**
 * Everything the core needs, created once by whoever hosts it: the Electron composition root,
 * the CLI, or a test. Nothing in here knows about Electron.
 *
 * This module opens a context without loading the zod event contract: the host says how to load
 * it when the first event is emitted (the bundled CLI requires it then; a command that only reads
 * the database never does). ./context.ts is the usual entry (createAppContext), with the contract
 * imported up front; the CLI uses openAppContext (src/main/cli/runtime.ts).
 */
export interface AppContext {
  db: Db
  dbPath: string
  dataDir: string
  /** Folder holding shipped data (taxonomy, catalog, sample benchmarks). */
  resourcesDir: string
  env: NodeJS.ProcessEnv
  events: EventBus
  /** better-sqlite3 addon for this runtime when it is not node_modules' own (Electron). */
  nativeBinding: string | undefined
  /** Scripts of the core's worker threads (./workers.ts). */
  workers: WorkerScripts
  /** Seals the installation's private signing key at rest (the app's OS key store); absent in the CLI. */
  keyProtector?: KeyProtector
  close(): void
}

export interface ContextOptions {
  dbPath?: string
  resourcesDir?: string
  env?: NodeJS.ProcessEnv
  /** better-sqlite3 addon built for Electron; the CLI and tests use node_modules' own. */
  nativeBinding?: string
  /** Built worker scripts (the Electron bundle); default: the TypeScript sources, run through tsx. */
  workers?: WorkerScripts
  /** The desktop app's safeStorage, wrapped by the composition root (src/main/index.ts). */
  keyProtector?: KeyProtector
}

/**
 * Closes the database at exit: the final checkpoint, then the session. Every step is tried; a
 * failure (read-only file, full disk) comes back as one AppError line — what was committed stays
 * in the WAL and is not lost.
 */
function closeContext(db: Db, dbPath: string, stopCheckpoints: () => void): void {
  let failure: unknown = null
  try {
    stopCheckpoints()
  } catch (e) {
    failure = e
  }
  try {
    closeDatabase(db)
  } catch (e) {
    failure ??= e
    if (db.open) db.close()
  }
  if (failure !== null) {
    const why = describeDatabaseError(failure, dbPath, readOnlyReason(db))
    const message = why instanceof Error ? why.message : String(why)
    throw new AppError('unavailable', `Could not finish writing the database on exit: ${message}`)
  }
}

/**
 * Opens the database and builds the context; `loadEventContract` is called once, synchronously,
 * at the first event emitted (events.ts).
 */
export function openAppContext(
  options: ContextOptions & { loadEventContract: LoadEventContract },
): AppContext {
  const env = options.env ?? process.env
  const dbPath = resolveDbPath(options.dbPath, env)
  const db = openDatabase(dbPath, { nativeBinding: options.nativeBinding })
  // An import killed mid-way left staged rows nobody sees; they go now (src/main/benchmarks/staging.ts).
  removeOrphanedStaging(db)
  const events = new EventBus(options.loadEventContract)
  const stopCheckpoints =
    dbPath === ':memory:' || readOnlyReason(db) !== null ? () => {} : checkpointInBackground(db)
  return {
    db,
    dbPath,
    dataDir: dbPath === ':memory:' ? '' : dirname(dbPath),
    ...hostFolders(options),
    env,
    events,
    nativeBinding: options.nativeBinding,
    keyProtector: options.keyProtector,
    close: () => closeContext(db, dbPath, stopCheckpoints),
  }
}
