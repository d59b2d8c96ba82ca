import type { leaderboardContract } from '../../shared/api/leaderboard'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'

export function leaderboardHandlers(_ctx: AppContext): HandlersFor<keyof typeof leaderboardContract> {
  return {}
}
