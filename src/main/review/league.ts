import { MIN_AGREEMENT_ITEMS, type ScorerLeague } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import {
  clinicianPairBaseline,
  leagueHeadline,
  rankScorers,
  scorerVsClinicians,
  type PairedScores,
  type ScorerSpec,
} from './medhelm-method'
import { LEAGUE_METRICS, setMetricScores, setRatings, setVotes } from './set-ratings'
import { loadReviewSet } from './sets'

/**
 * Which automatic scorer agrees best with our clinicians: the jury, each judge alone, and the text
 * metrics computed on the items (ROUGE-L, BLEU, embedding similarity), each against the clinicians
 * by MedHELM's method (./medhelm-method.ts), best first — for one review set or pooled across sets.
 * An item's composite is the mean of the set's criteria and needs all of them: a clinician's from
 * their ratings, the jury's from the mean of the valid votes per criterion, a judge's from its own
 * votes. Items in several sets count once.
 */

interface LeagueItem {
  /** Reviewer name → composite. */
  clinicians: Map<string, number>
  /** Scorer key → composite or metric value. */
  scores: Map<string, number>
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Per item, the mean over the criteria of each group's scores; only groups with every criterion. */
function composites<K>(
  rows: readonly { item: number; key: K; criterion: string; score: number }[],
  criteria: readonly string[],
): Map<number, Map<K, number>> {
  const sums = new Map<number, Map<K, Map<string, number[]>>>()
  for (const r of rows) {
    const byKey = sums.get(r.item) ?? new Map<K, Map<string, number[]>>()
    const byCrit = byKey.get(r.key) ?? new Map<string, number[]>()
    byCrit.set(r.criterion, [...(byCrit.get(r.criterion) ?? []), r.score])
    byKey.set(r.key, byCrit)
    sums.set(r.item, byKey)
  }
  const out = new Map<number, Map<K, number>>()
  for (const [item, byKey] of sums) {
    const m = new Map<K, number>()
    for (const [key, byCrit] of byKey)
      if (criteria.every((c) => byCrit.has(c)))
        m.set(key, mean(criteria.map((c) => mean(byCrit.get(c) as number[]))))
    if (m.size) out.set(item, m)
  }
  return out
}

function itemsOfSet(db: Db, setId: number, items: Map<number, LeagueItem>, judges: Set<string>): void {
  const criteria = loadReviewSet(db, setId).criteria.map((c) => c.id)
  const names = new Map(
    (db.prepare('SELECT id, name FROM reviewers').all() as { id: number; name: string }[]).map((r) => [
      r.id,
      r.name,
    ]),
  )
  const get = (id: number) => {
    let it = items.get(id)
    if (!it) items.set(id, (it = { clinicians: new Map(), scores: new Map() }))
    return it
  }
  const ratings = setRatings(db, setId).map((r) => ({
    ...r,
    key: names.get(r.reviewerId) ?? `reviewer ${r.reviewerId}`,
  }))
  for (const [item, m] of composites(ratings, criteria))
    for (const [who, x] of m) get(item).clinicians.set(who, x)
  const valid = setVotes(db, setId).filter((v) => v.status === 'valid' && v.score !== null)
  const votes = valid.map((v) => ({
    item: v.item,
    key: v.judge,
    criterion: v.criterion,
    score: v.score as number,
  }))
  for (const [item, m] of composites(votes, criteria))
    for (const [judge, x] of m) {
      judges.add(judge)
      get(item).scores.set(`judge:${judge}`, x)
    }
  // The jury: per criterion the mean of every judge's valid vote, then the mean of the criteria.
  const jury = votes.map((v) => ({ ...v, key: 'jury' }))
  for (const [item, m] of composites(jury, criteria)) get(item).scores.set('jury', m.get('jury') as number)
  for (const s of setMetricScores(db, setId)) get(s.item).scores.set(s.metric, s.value)
}

export function scorerLeague(
  db: Db,
  setIds: readonly number[],
  options: { seed?: number; minItems?: number } = {},
): ScorerLeague {
  const seed = options.seed ?? 0
  const minItems = options.minItems ?? MIN_AGREEMENT_ITEMS
  const ids = [...new Set(setIds)].sort((a, b) => a - b)
  if (ids.length === 0)
    throw new AppError('not_found', 'no review set yet: make one with review create-set, then rate it')
  const items = new Map<number, LeagueItem>()
  const judges = new Set<string>()
  for (const id of ids) itemsOfSet(db, id, items, judges)
  const rated = [...items].filter(([, it]) => it.clinicians.size > 0)
  const specs: ScorerSpec[] = [
    {
      scorer: 'jury',
      name: `LLM jury (${judges.size} judge${judges.size === 1 ? '' : 's'})`,
      kind: 'jury',
      likert: true,
    },
    ...[...judges]
      .sort()
      .map((j): ScorerSpec => ({ scorer: `judge:${j}`, name: `Judge ${j}`, kind: 'judge', likert: true })),
    ...Object.entries(LEAGUE_METRICS)
      .filter(([m]) => rated.some(([, it]) => it.scores.has(m)))
      .map(([m, name]): ScorerSpec => ({ scorer: m, name, kind: 'metric', likert: false })),
  ]
  const scorers = specs.map((spec) => {
    const pairs: PairedScores[] = rated
      .filter(([, it]) => it.scores.has(spec.scorer))
      .map(([, it]) => ({
        clinicians: mean([...it.clinicians.values()]),
        scorer: it.scores.get(spec.scorer) as number,
      }))
    return scorerVsClinicians(spec, pairs, { seed, minItems })
  })
  const byReviewer = new Map<string, Map<string, number>>()
  for (const [item, it] of rated)
    for (const [who, x] of it.clinicians)
      byReviewer.set(who, (byReviewer.get(who) ?? new Map()).set(String(item), x))
  const ranked = rankScorers(scorers)
  const baseline = clinicianPairBaseline(byReviewer, minItems)
  return {
    setIds: ids,
    ratedItems: rated.length,
    seed,
    scorers: ranked,
    baseline,
    headline: leagueHeadline(ranked, baseline),
  }
}

/** Every review set's id. */
export function allReviewSetIds(db: Db): number[] {
  return (db.prepare('SELECT id FROM review_sets ORDER BY id').all() as { id: number }[]).map((r) => r.id)
}
