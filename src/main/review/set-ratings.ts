import type { Db } from '../db/open'

/** What was said about a review set's items: the jury's valid votes and the clinicians' ratings. */

export interface VoteRow {
  item: number
  judge: string
  criterion: string
  score: number | null
  status: 'valid' | 'failed'
}

export interface RatingRow {
  item: number
  reviewerId: number
  criterion: string
  score: number
  comment: string
}

export function setVotes(db: Db, setId: number): VoteRow[] {
  return db
    .prepare(
      `SELECT v.run_item_id AS item, v.judge_key AS judge, v.criterion, v.score, v.status
       FROM jury_votes v JOIN review_set_items si ON si.run_item_id = v.run_item_id AND si.set_id = ?
       ORDER BY v.run_item_id, v.judge_key, v.criterion`,
    )
    .all(setId) as VoteRow[]
}

export function setRatings(db: Db, setId: number): RatingRow[] {
  return db
    .prepare(
      `SELECT r.run_item_id AS item, r.reviewer_id AS reviewerId, r.criterion, r.score, r.comment
       FROM ratings r JOIN review_set_items si ON si.run_item_id = r.run_item_id AND si.set_id = ?
       ORDER BY r.run_item_id, r.reviewer_id, r.criterion`,
    )
    .all(setId) as RatingRow[]
}

/** Per item, per criterion: the mean of the judges' valid votes (criteria without one are absent). */
export function juryMeans(votes: readonly VoteRow[]): Map<number, Record<string, number>> {
  const sums = new Map<number, Map<string, number[]>>()
  for (const v of votes) {
    if (v.status !== 'valid' || v.score === null) continue
    let m = sums.get(v.item)
    if (!m) sums.set(v.item, (m = new Map()))
    const list = m.get(v.criterion) ?? []
    list.push(v.score)
    m.set(v.criterion, list)
  }
  return new Map(
    [...sums].map(([item, m]) => [
      item,
      Object.fromEntries([...m].map(([c, xs]) => [c, xs.reduce((a, b) => a + b, 0) / xs.length])),
    ]),
  )
}

/** The text metrics a scorer league compares with the clinicians, and how they are named. */
export const LEAGUE_METRICS: Readonly<Record<string, string>> = {
  rouge_l: 'ROUGE-L',
  bleu: 'BLEU',
  bertscore: 'Embedding similarity (BERTScore-style)',
}

export interface MetricRow {
  item: number
  metric: string
  value: number
}

/** The set's items' successful scores of the league's text metrics (failures are not scores). */
export function setMetricScores(db: Db, setId: number): MetricRow[] {
  const names = Object.keys(LEAGUE_METRICS)
  return db
    .prepare(
      `SELECT s.run_item_id AS item, s.metric, s.value
       FROM scores s JOIN review_set_items si ON si.run_item_id = s.run_item_id AND si.set_id = ?
       WHERE s.status = 'ok' AND s.metric IN (${names.map(() => '?').join(', ')})
       ORDER BY s.run_item_id, s.metric`,
    )
    .all(setId, ...names) as MetricRow[]
}
