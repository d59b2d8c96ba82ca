import { userInfo } from 'node:os'

/** Who is acting: the operating-system account running WardEval (the CLI or the app). */
export function currentActor(env: NodeJS.ProcessEnv = process.env): string {
  try {
    const name = userInfo().username
    if (name) return name
  } catch {
    // no passwd entry (some containers): fall back to the environment
  }
  return env.USER || env.USERNAME || env.LOGNAME || 'unknown'
}
