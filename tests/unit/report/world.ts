import { setPrice } from '../../../src/main/analysis/prices'
import type { AppContext } from '../../../src/main/app/context'
import { writeAnchor } from '../../../src/main/audit/anchors'
import { approveHost } from '../../../src/main/egress'
import type { ReviewSetSummary } from '../../../src/shared/api/review'
import { callThrough, routerFor } from '../../support/router'
import { BENCHMARK, JUDGE_KEYS, RUN_MODEL_KEYS, scoredRun } from '../review/helpers'
import { rateSetLikeTheJury } from '../review/league-helpers'

/**
 * A world for the report: two models answer 14 patient messages, a jury of three judges scores
 * them (all through the real engine against the loopback fake server); one review set of the run is
 * rated by two clinicians; model-a has a price; a remote destination is approved with a reason; an
 * anchor signs the audit chain.
 */
export const REPORT_MODELS = RUN_MODEL_KEYS
export const REPORT_JUDGES = JUDGE_KEYS

export async function buildReportWorld(
  ctx: AppContext,
  dir: string,
): Promise<{ runId: number; setId: number }> {
  const runId = await scoredRun(ctx, dir, 14)
  const router = routerFor(ctx)
  const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)
  const set = await call<ReviewSetSummary>('review:create-set', {
    runId,
    benchmarkId: BENCHMARK,
    size: 14,
    seed: 1,
  })
  const a = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Report A' })
  const b = await call<{ id: number }>('review:reviewer-open', { name: 'Dr Report B', confirmSwitch: true })
  rateSetLikeTheJury(ctx, set.id, [a.id, b.id])
  setPrice(ctx.db, { modelKey: RUN_MODEL_KEYS[0]!, inputPerMTok: 1, outputPerMTok: 2 })
  await approveHost(ctx, {
    host: '127.0.0.2',
    port: 8443,
    reason: 'Hospital GPU cluster, DPA signed 2026-10',
  })
  writeAnchor(ctx, { reason: 'manual' })
  return { runId, setId: set.id }
}
