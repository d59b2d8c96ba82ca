import type { leaderboardContract } from '../../shared/api/leaderboard'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../ipc/router'
import { computeLeaderboard } from './leaderboard'
import { listPrices, removePrice, setPrice } from './prices'

export function leaderboardHandlers(ctx: AppContext): HandlersFor<keyof typeof leaderboardContract> {
  return {
    'leaderboard:get': (query) => computeLeaderboard(ctx, query),
    'leaderboard:prices': () => listPrices(ctx.db),
    'leaderboard:price-set': (input) => setPrice(ctx.db, input),
    'leaderboard:price-remove': ({ modelKey }) => ({ removed: removePrice(ctx.db, modelKey) }),
  }
}
