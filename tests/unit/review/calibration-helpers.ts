import type { AppContext } from '../../../src/main/app/context'
import { openReviewer } from '../../../src/main/review/reviewers'
import { RUN_MODEL_KEYS } from './helpers'

/**
 * Known offsets between judges and clinicians, for the bias and calibration tests:
 *   base(c, v) = 1 + ((c + 2v) mod 4)   (case c, model variant v)
 *   judge-x = base + 1, judge-y = judge-z = base; the clinician rates base + 1.
 */
export const base = (c: number, v: number) => 1 + ((c + 2 * v) % 4)
export const offsetJury = (c: number, v: number, j: number) => base(c, v) + (j === 0 ? 1 : 0)
export const clinician = (c: number, v: number) => base(c, v) + 1

/** Rates every item of a set on every criterion as `score(case, variant)`, as `reviewer`. */
export function rateAll(
  ctx: Pick<AppContext, 'db'>,
  setId: number,
  reviewer: string,
  score: (c: number, v: number) => number,
): void {
  const r = openReviewer(ctx.db, reviewer)
  const rows = ctx.db
    .prepare(
      `SELECT si.run_item_id AS item, ri.model_key AS model, i.ext_id AS ext FROM review_set_items si
       JOIN run_items ri ON ri.id = si.run_item_id JOIN instances i ON i.id = ri.instance_id WHERE si.set_id = ?`,
    )
    .all(setId) as { item: number; model: string; ext: string }[]
  const insert = ctx.db.prepare(
    `INSERT OR REPLACE INTO ratings (reviewer_id, run_item_id, criterion, score, created_at) VALUES (?, ?, ?, ?, 'x')`,
  )
  ctx.db.transaction(() => {
    for (const row of rows) {
      const s = score(Number(row.ext.replace('msg-', '')), RUN_MODEL_KEYS.indexOf(row.model))
      for (const c of ['accuracy', 'completeness', 'clarity']) insert.run(r.id, row.item, c, s)
    }
  })()
}
