import { homedir } from 'node:os'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { sourceWorkerScripts, type WorkerScripts } from './worker-scripts'

export const APP_DIR_NAME = 'WardEval'
export const DB_FILE_NAME = 'wardeval.db'

/**
 * The per-user application-data folder, computed as Electron's `app.getPath('userData')` is for
 * this product name, so the desktop app and the headless CLI share one database by default:
 * Windows %APPDATA%\WardEval, macOS ~/Library/Application Support/WardEval,
 * Linux $XDG_CONFIG_HOME/WardEval (or ~/.config/WardEval).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const home = env.HOME ?? homedir()
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME)
}

/** `--db <file>` wins, then WARDEVAL_DB, then the default data folder. */
export function resolveDbPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (flag) return flag === ':memory:' ? flag : resolve(flag)
  if (env.WARDEVAL_DB) return env.WARDEVAL_DB === ':memory:' ? ':memory:' : resolve(env.WARDEVAL_DB)
  return join(defaultDataDir(env, platform), DB_FILE_NAME)
}

/** The repository's `resources/` folder, found by walking up from this file (dev, CLI, tests). */
export function findResourcesDir(from: string = __dirname): string {
  let dir = resolve(from)
  for (;;) {
    const candidate = join(dir, 'resources')
    if (existsSync(join(candidate, 'taxonomy.json'))) return candidate
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Could not find WardEval's resources folder above ${from}`)
    dir = parent
  }
}

/**
 * Where a host's shipped data and worker scripts are (the folders of an AppContext), known before
 * the database is opened: the given ones, else the repository's resources and the workers'
 * TypeScript sources.
 */
export function hostFolders(options: {
  resourcesDir?: string | undefined
  workers?: WorkerScripts | undefined
}): {
  resourcesDir: string
  workers: WorkerScripts
} {
  return {
    resourcesDir: options.resourcesDir ?? findResourcesDir(),
    workers: options.workers ?? sourceWorkerScripts(),
  }
}
