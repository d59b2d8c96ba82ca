import type { BlindItem, RateParsed, RateResult, ReviewSession } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { reviewerOrder } from './order'
import { currentOsUser } from './identity'
import { getReviewer } from './reviewers'
import { loadReviewSet, reviewSetItems, type ReviewSet } from './sets'
import type { Candidate } from './sample'

/**
 * Blind rating: a reviewer goes through a set in their own seeded order, one item at a time, and
 * sees only the instance input and the model's output. Positions are positions in that order; the
 * run item behind a position never crosses to the rating screen. Where the reviewer is is stored,
 * so they resume there.
 */

interface Place {
  set: ReviewSet
  order: Candidate[]
}

function place(db: Db, setId: number, reviewerId: number): Place {
  const set = loadReviewSet(db, setId)
  getReviewer(db, reviewerId) // not_found for an unknown reviewer
  return { set, order: reviewerOrder(reviewSetItems(db, setId), set.seed, set.id, reviewerId) }
}

function itemAt(p: Place, position: number): Candidate {
  const item = p.order[position]
  if (!item)
    throw new AppError(
      'invalid_input',
      `position: ${position} is outside review set ${p.set.id}, which has ${p.order.length} items (positions 0–${p.order.length - 1})`,
    )
  return item
}

/** Run items of `items` the reviewer has rated on every criterion. */
export function fullyRated(
  db: Db,
  reviewerId: number,
  items: readonly number[],
  criteria: readonly string[],
): Set<number> {
  if (items.length === 0) return new Set()
  const rows = db
    .prepare(
      `SELECT run_item_id AS item, criterion FROM ratings
       WHERE reviewer_id = ? AND run_item_id IN (SELECT value FROM json_each(?))`,
    )
    .all(reviewerId, JSON.stringify(items)) as { item: number; criterion: string }[]
  const seen = new Map<number, Set<string>>()
  for (const r of rows) {
    const s = seen.get(r.item) ?? new Set<string>()
    s.add(r.criterion)
    seen.set(r.item, s)
  }
  return new Set([...seen].filter(([, s]) => criteria.every((c) => s.has(c))).map(([item]) => item))
}

function counts(db: Db, p: Place, reviewerId: number): { rated: number; firstUnrated: number | null } {
  const done = fullyRated(
    db,
    reviewerId,
    p.order.map((i) => i.runItemId),
    p.set.criteria.map((c) => c.id),
  )
  const first = p.order.findIndex((i) => !done.has(i.runItemId))
  return { rated: done.size, firstUnrated: first === -1 ? null : first }
}

function storedPosition(db: Db, setId: number, reviewerId: number): number | null {
  const row = db
    .prepare('SELECT position FROM review_progress WHERE set_id = ? AND reviewer_id = ?')
    .get(setId, reviewerId) as { position: number } | undefined
  return row ? row.position : null
}

function recordPosition(db: Db, setId: number, reviewerId: number, position: number): void {
  db.prepare(
    `INSERT INTO review_progress (set_id, reviewer_id, position, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (set_id, reviewer_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  ).run(setId, reviewerId, position, new Date().toISOString())
}

/** What a reviewer sees of a run item: its input, the output, and the gold answer where the set shows it. */
export function blindText(
  db: Db,
  set: ReviewSet,
  runItemId: number,
): { input: string; output: string; gold: string | null } | null {
  const row = db
    .prepare(
      `SELECT i.input, i.references_json AS refs, r.text FROM run_items ri
       JOIN instances i ON i.id = ri.instance_id
       JOIN responses r ON r.id = ri.response_id
       WHERE ri.id = ?`,
    )
    .get(runItemId) as { input: string; refs: string; text: string } | undefined
  if (!row) return null
  const refs = JSON.parse(row.refs) as unknown
  const gold = set.showGold && Array.isArray(refs) && refs.length > 0 ? refs.map(String).join('\n\n') : null
  return { input: row.input, output: row.text, gold }
}

/** Where the reviewer stopped (0 the first time). */
export function reviewSession(db: Db, setId: number, reviewerId: number): ReviewSession {
  const p = place(db, setId, reviewerId)
  const { rated, firstUnrated } = counts(db, p, reviewerId)
  const stored = storedPosition(db, setId, reviewerId)
  return {
    setId,
    reviewerId,
    total: p.order.length,
    rated,
    position: Math.min(stored ?? 0, p.order.length),
    firstUnrated,
    criteria: p.set.criteria,
  }
}

/** The item at `position` of the reviewer's order, blind; it becomes where the reviewer is. */
export function blindItem(db: Db, setId: number, reviewerId: number, position: number): BlindItem {
  const p = place(db, setId, reviewerId)
  const item = itemAt(p, position)
  const row = blindText(db, p.set, item.runItemId)
  if (!row)
    throw new AppError(
      'bad_data',
      `review set ${setId}: the output at position ${position} is no longer stored`,
    )
  const mine = db
    .prepare('SELECT criterion, score, comment FROM ratings WHERE reviewer_id = ? AND run_item_id = ?')
    .all(reviewerId, item.runItemId) as { criterion: string; score: number; comment: string }[]
  recordPosition(db, setId, reviewerId, position)
  const { rated } = counts(db, p, reviewerId)
  return {
    setId,
    position,
    total: p.order.length,
    rated,
    input: row.input,
    output: row.output,
    gold: row.gold,
    criteria: p.set.criteria.map((c) => ({ id: c.id, name: c.name, description: c.description })),
    myRating:
      mine.length === 0
        ? null
        : {
            scores: Object.fromEntries(mine.map((m) => [m.criterion, m.score])),
            comment: mine.find((m) => m.comment !== '')?.comment ?? '',
          },
  }
}

/** Refuses scores that are not exactly one per criterion (`where` names the set or packet). */
export function requireScores(scores: Record<string, number>, ids: readonly string[], where: string): void {
  const unknown = Object.keys(scores).filter((c) => !ids.includes(c))
  if (unknown.length > 0)
    throw new AppError(
      'invalid_input',
      `scores: ${unknown.map((c) => `"${c}"`).join(', ')} ${unknown.length === 1 ? 'is not a criterion' : 'are not criteria'} of ${where} (${ids.join(', ')})`,
    )
  const missing = ids.filter((c) => scores[c] === undefined)
  if (missing.length > 0)
    throw new AppError(
      'invalid_input',
      `scores: no score for ${missing.join(', ')}; rate every criterion of the item (1–5) before saving`,
    )
}

/**
 * Saves the reviewer's scores of one item — one per criterion of the set, no more, no fewer — and
 * the comment, in one transaction, replacing an earlier rating of the same item. The reviewer's
 * place moves to the next unrated item after this one (past the end when there is none).
 */
export function rateItem(db: Db, input: RateParsed, osUser = currentOsUser()): RateResult {
  const p = place(db, input.setId, input.reviewerId)
  const item = itemAt(p, input.position)
  const ids = p.set.criteria.map((c) => c.id)
  requireScores(input.scores, ids, `review set ${input.setId}`)
  const now = new Date().toISOString()
  const upsert = db.prepare(
    `INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at, os_user, source) VALUES (?, ?, ?, ?, ?, ?, ?, 'app')
     ON CONFLICT (reviewer_id, run_item_id, criterion)
     DO UPDATE SET score = excluded.score, comment = excluded.comment, created_at = excluded.created_at,
       os_user = excluded.os_user, source = excluded.source`,
  )
  return db
    .transaction((): RateResult => {
      for (const c of ids)
        upsert.run(input.reviewerId, item.runItemId, c, input.scores[c] as number, input.comment, now, osUser)
      // Next: the first unrated item after this one, or past the end (where skipped ones are offered).
      const done = fullyRated(
        db,
        input.reviewerId,
        p.order.map((i) => i.runItemId),
        ids,
      )
      const after = p.order.findIndex((i, at) => at > input.position && !done.has(i.runItemId))
      const next = after === -1 ? p.order.length : after
      recordPosition(db, input.setId, input.reviewerId, next)
      const first = p.order.findIndex((i) => !done.has(i.runItemId))
      return {
        position: next,
        rated: done.size,
        total: p.order.length,
        firstUnrated: first === -1 ? null : first,
      }
    })
    .immediate()
}
