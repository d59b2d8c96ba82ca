import type { leaderboardContract, PowerQuery } from '../../shared/api/leaderboard'
import type { AppContext } from '../app/context'
import { AppError } from '../errors'
import type { HandlersFor } from '../../shared/api/handlers'
import { discordanceFromRuns } from './discordance'
import { computeLeaderboardAsync } from './leaderboard'
import { powerReport } from './power-report'
import { listPrices, removePrice, setPrice } from './prices'

/** Discordance estimates resting on fewer discordance pairs than this are not used. */
const MIN_PAIRS = 30

export function leaderboardHandlers(ctx: AppContext): HandlersFor<keyof typeof leaderboardContract> {
  return {
    'leaderboard:get': async ({ jobId, ...query }) => {
      const progress = (done: number, total: number, state: 'running' | 'done' = 'running') =>
        jobId &&
        ctx.events.emit('job:progress', {
          jobId,
          kind: 'leaderboard',
          label: 'Computing intervals and tests',
          done,
          total,
          unit: 'resamples',
          state,
          message: null,
        })
      const lb = await computeLeaderboardAsync(ctx, query, (done, total) => progress(done, total))
      progress(lb.statistics.resamples, lb.statistics.resamples, 'done')
      return lb
    },
    'leaderboard:power': (query) => power(ctx, query),
    'leaderboard:prices': () => listPrices(ctx.db),
    'leaderboard:price-set': (input) => setPrice(ctx.db, input),
    'leaderboard:price-remove': ({ modelKey }) => ({ removed: removePrice(ctx.db, modelKey) }),
  }
}

function power(ctx: AppContext, query: PowerQuery) {
  const q = { ...query }
  let source: 'given' | 'earlier runs' = 'given'
  if (q.discordance === undefined && q.baseline === undefined) {
    const est = discordanceFromRuns(ctx.db)
    if (est.discordance !== null && est.discordance > 0 && est.pairs >= MIN_PAIRS) {
      q.discordance = est.discordance
      source = 'earlier runs'
    } else q.baseline = 0.5 // nothing to go on: the most discordant case, so the least optimistic
  }
  try {
    return powerReport(q, source)
  } catch (e) {
    if (e instanceof RangeError) throw new AppError('invalid_input', e.message)
    throw e
  }
}
