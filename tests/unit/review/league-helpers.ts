import type { AppContext } from '../../../src/main/app/context'
import type { ReviewSetSummary } from '../../../src/shared/api/review'
import type { TempContext } from '../../support/context'
import { callThrough, routerFor } from '../../support/router'
import { BENCHMARK, scoredRun } from './helpers'

/**
 * Ratings and text-metric scores for a review set, written straight to the database: two clinicians
 * who follow the jury's per-criterion mean (rounded, with a little disagreement of their own), and a
 * ROUGE-L score that follows nothing in particular.
 */
export function rateSetLikeTheJury(
  ctx: AppContext,
  setId: number,
  reviewerIds: [number, number],
  /** Also store a ROUGE-L score per item (false when the run has them already). */
  opts: { rouge?: boolean } = {},
): number[] {
  const items = ctx.db
    .prepare('SELECT run_item_id FROM review_set_items WHERE set_id = ? ORDER BY ordinal')
    .pluck()
    .all(setId) as number[]
  const juryMean = ctx.db
    .prepare("SELECT AVG(score) FROM jury_votes WHERE run_item_id = ? AND criterion = ? AND status = 'valid'")
    .pluck()
  const insert = ctx.db.prepare(
    "INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at) VALUES (?, ?, ?, ?, '', 'x')",
  )
  const rouge = ctx.db.prepare(
    "INSERT INTO scores (run_item_id, metric, value, status, details_json, created_at) VALUES (?, 'rouge_l', ?, 'ok', '{}', 'x')",
  )
  const clamp = (x: number) => Math.min(5, Math.max(1, x))
  ctx.db.transaction(() => {
    items.forEach((id, i) => {
      for (const c of ['accuracy', 'completeness', 'clarity']) {
        const j = Math.round(juryMean.get(id, c) as number)
        insert.run(reviewerIds[0], id, c, clamp(j + (i % 4 === 0 ? 1 : 0)))
        insert.run(reviewerIds[1], id, c, clamp(j - (i % 5 === 0 ? 1 : 0)))
      }
      if (opts.rouge !== false) rouge.run(id, ((i * 7) % 11) / 10)
    })
  })()
  return items
}

/**
 * A scored run of `size` outputs in a review set rated by two clinicians who follow the jury
 * (rateSetLikeTheJury), created through the app's channels; `names[1]` is the last reviewer opened
 * on this computer.
 */
export async function ratedSetOfTwoClinicians(
  ctx: TempContext,
  names: [string, string],
  size = 14,
): Promise<{ runId: number; setId: number; set: ReviewSetSummary }> {
  const runId = await scoredRun(ctx, ctx.dir, size)
  const router = routerFor(ctx)
  const set = await callThrough<ReviewSetSummary>(router, 'review:create-set', {
    runId,
    benchmarkId: BENCHMARK,
    size,
    seed: 3,
  })
  const a = await callThrough<{ id: number }>(router, 'review:reviewer-open', { name: names[0] })
  const b = await callThrough<{ id: number }>(router, 'review:reviewer-open', {
    name: names[1],
    confirmSwitch: true,
  })
  rateSetLikeTheJury(ctx, set.id, [a.id, b.id])
  return { runId, setId: set.id, set }
}
