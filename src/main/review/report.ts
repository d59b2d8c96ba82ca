import { MIN_AGREEMENT_ITEMS, type ReviewAgreement, type UnblindedItem } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import {
  clinicianBaseline,
  juryVsClinicians,
  overallPoints,
  type AgreementData,
  type ItemRatings,
} from './agreement'
import { identityWarnings } from './identity'
import { fullyRated } from './rating'
import { reviewerOrder } from './order'
import { getReviewer } from './reviewers'
import { juryMeans, setRatings, setVotes } from './set-ratings'
import { scorerLeague } from './league'
import { leastSquaresLine } from '../stats/correlation'
import { loadReviewSet, reviewerProgress, reviewSetItems } from './sets'

/** A review set's agreement report, and a reviewer's unblinded view once they have rated it all. */

/** A set's items with the jury's mean per criterion and each reviewer's scores, for the statistics. */
export function agreementData(db: Db, setId: number) {
  const set = loadReviewSet(db, setId)
  const items = reviewSetItems(db, setId)
  const jury = juryMeans(setVotes(db, setId))
  const ratings = setRatings(db, setId)
  const progress = reviewerProgress(db, set)
  const byItem = new Map<number, Map<number, Record<string, number>>>()
  for (const r of ratings) {
    let m = byItem.get(r.item)
    if (!m) byItem.set(r.item, (m = new Map()))
    const scores = m.get(r.reviewerId) ?? {}
    scores[r.criterion] = r.score
    m.set(r.reviewerId, scores)
  }
  const data: AgreementData = {
    criteria: set.criteria.map((c) => c.id),
    reviewers: new Map(progress.map((p) => [p.reviewerId, p.reviewer])),
    items: items.map((i): ItemRatings => ({
      jury: jury.get(i.runItemId) ?? {},
      clinicians: byItem.get(i.runItemId) ?? new Map(),
    })),
  }
  return { set, items, jury, byItem, progress, data }
}

export function reviewAgreement(db: Db, setId: number, minItems = MIN_AGREEMENT_ITEMS): ReviewAgreement {
  const { set, items, jury, byItem, progress, data } = agreementData(db, setId)
  const points = overallPoints(data)
  return {
    setId,
    minItems,
    counts: {
      items: items.length,
      rated: items.filter((i) => byItem.has(i.runItemId)).length,
      juryScored: items.filter((i) => jury.has(i.runItemId)).length,
    },
    criteria: set.criteria,
    reviewers: progress,
    juryVsClinicians: juryVsClinicians(data, minItems),
    clinicianBaseline: clinicianBaseline(data, minItems),
    points,
    identityWarnings: identityWarnings(db, setId),
    fit: leastSquaresLine(
      points.map((p) => p.jury),
      points.map((p) => p.clinicians),
    ),
    league: scorerLeague(db, [setId], { minItems }),
  }
}

/**
 * Every item of the set in the reviewer's order, with its model and the jury's scores next to the
 * reviewer's. Only once the reviewer has rated every item: before, it would unblind what is left.
 */
export function unblindedItems(db: Db, setId: number, reviewerId: number): UnblindedItem[] {
  const set = loadReviewSet(db, setId)
  const reviewer = getReviewer(db, reviewerId)
  const order = reviewerOrder(reviewSetItems(db, setId), set.seed, set.id, reviewerId)
  const criteria = set.criteria.map((c) => c.id)
  const done = fullyRated(
    db,
    reviewerId,
    order.map((i) => i.runItemId),
    criteria,
  )
  if (done.size < order.length)
    throw new AppError(
      'conflict',
      `${reviewer.name} has rated ${done.size} of the ${order.length} items of review set ${setId}; the models and the jury's scores are shown once every item is rated`,
    )
  const votes = setVotes(db, setId)
  const jury = juryMeans(votes)
  const mine = setRatings(db, setId).filter((r) => r.reviewerId === reviewerId)
  const instanceOf = db.prepare(
    'SELECT i.ext_id FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.id = ?',
  )
  return order.map((item, position) => {
    const ratings = mine.filter((r) => r.item === item.runItemId)
    return {
      position,
      runItemId: item.runItemId,
      instanceId: (instanceOf.get(item.runItemId) as { ext_id: string }).ext_id,
      modelKey: item.modelKey,
      comment: ratings.find((r) => r.comment !== '')?.comment ?? '',
      rows: set.criteria.map((c) => ({
        criterion: c.id,
        name: c.name,
        clinician: ratings.find((r) => r.criterion === c.id)?.score ?? null,
        jury: jury.get(item.runItemId)?.[c.id] ?? null,
        votes: votes
          .filter((v) => v.item === item.runItemId && v.criterion === c.id)
          .map((v) => ({ judge: v.judge, score: v.score })),
      })),
    }
  })
}
