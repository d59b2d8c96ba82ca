import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

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
