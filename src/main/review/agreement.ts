import type { AgreementFigure, IccValue } from '../../shared/api/review'
import { intraclassCorrelations, iccUndefinedReason, meanSquares, type IccEstimate } from './stats/icc'
import { hasSpread, zScores } from './stats/zscore'
import { kooLiLabel } from '../stats/koo-li'

/**
 * Jury–clinician agreement as MedHELM validated its jury (open-ended-evals/4_calculate_icc.py):
 * per criterion and overall (the mean of the criteria), the jury's score of each item (the mean of
 * its judges' valid votes) against the clinicians' (the mean of the reviewers who rated it), each
 * rater's scores z-scored over the items, then ICC(3,k); and the clinician–clinician baseline, the
 * same ICC among reviewers on the items they all rated. Each figure says how many items it rests
 * on; with fewer than `minItems`, or a rater who gave every item the same score, it is not computed.
 */

export interface ItemRatings {
  /** The jury's mean per criterion over valid votes; a criterion without one is absent. */
  jury: Readonly<Record<string, number>>
  /** Per reviewer id, that reviewer's score per criterion. */
  clinicians: ReadonlyMap<number, Readonly<Record<string, number>>>
}

export interface AgreementData {
  criteria: readonly string[]
  reviewers: ReadonlyMap<number, string>
  items: readonly ItemRatings[]
}

export const OVERALL = 'overall'

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length

/** A score for one scope: the criterion's, or overall the mean of every criterion (all needed). */
function scopeValue(
  scores: Readonly<Record<string, number>> | undefined,
  scope: string,
  criteria: readonly string[],
): number | undefined {
  if (!scores) return undefined
  if (scope !== OVERALL) return scores[scope]
  const values = criteria.map((c) => scores[c])
  return values.every((v) => v !== undefined) ? mean(values as number[]) : undefined
}

function clinicianMean(item: ItemRatings, scope: string, criteria: readonly string[]): number | undefined {
  const values = [...item.clinicians.values()]
    .map((s) => scopeValue(s, scope, criteria))
    .filter((v): v is number => v !== undefined)
  return values.length === 0 ? undefined : mean(values)
}

const toIccValue = (e: IccEstimate): IccValue => ({
  value: e.value,
  ci95: e.ci,
  label: kooLiLabel(e.value, e.ci).label,
})

/**
 * One figure from k columns of ratings of the same n items: z-score each column, then ICC(3,1)
 * and ICC(3,k).
 */
export function iccFigure(
  scope: string,
  columns: readonly { label: string; values: readonly number[] }[],
  reviewers: string[],
  minItems: number,
): AgreementFigure {
  const n = columns[0]?.values.length ?? 0
  const base = { scope, items: n, raters: columns.length, reviewers }
  const notComputable = (reason: string): AgreementFigure => ({
    ...base,
    status: 'not_computable',
    reason,
    icc3: null,
    icc3k: null,
  })
  if (columns.length < 2) return notComputable('fewer than 2 raters')
  if (n < minItems)
    return notComputable(
      `${n} ${n === 1 ? 'item has' : 'items have'} ratings from every rater; at least ${minItems} are needed`,
    )
  const flat = columns.find((c) => !hasSpread(c.values))
  if (flat) return notComputable(`${flat.label} gave every one of these ${n} items the same score`)
  const z = columns.map((c) => zScores(c.values))
  const matrix = Array.from({ length: n }, (_, i) => z.map((col) => col[i] as number))
  const why = iccUndefinedReason(meanSquares(matrix))
  if (why) return notComputable(why)
  const icc = intraclassCorrelations(matrix)
  return { ...base, status: 'ok', reason: null, icc3: toIccValue(icc.ICC3), icc3k: toIccValue(icc.ICC3k) }
}

const scopes = (data: AgreementData) => [...data.criteria, OVERALL]

/** Jury vs the clinicians' mean, per criterion and overall. */
export function juryVsClinicians(data: AgreementData, minItems: number): AgreementFigure[] {
  return scopes(data).map((scope) => {
    const jury: number[] = []
    const clinicians: number[] = []
    const used = new Set<number>()
    for (const item of data.items) {
      const j = scopeValue(item.jury, scope, data.criteria)
      const c = clinicianMean(item, scope, data.criteria)
      if (j === undefined || c === undefined) continue
      jury.push(j)
      clinicians.push(c)
      for (const [id, s] of item.clinicians)
        if (scopeValue(s, scope, data.criteria) !== undefined) used.add(id)
    }
    return iccFigure(
      scope,
      [
        { label: 'the jury', values: jury },
        { label: 'the clinicians', values: clinicians },
      ],
      names(data, used),
      minItems,
    )
  })
}

function names(data: AgreementData, ids: Iterable<number>): string[] {
  return [...ids].map((id) => data.reviewers.get(id) ?? `reviewer ${id}`).sort((a, b) => a.localeCompare(b))
}

/**
 * Clinicians among themselves, per scope: the pair of reviewers sharing the most rated items, then
 * every further reviewer who keeps at least `minItems` items rated by all.
 */
export function clinicianBaseline(data: AgreementData, minItems: number): AgreementFigure[] {
  return scopes(data).map((scope) => {
    const rated = new Map<number, Set<number>>()
    data.items.forEach((item, i) => {
      for (const [id, s] of item.clinicians) {
        if (scopeValue(s, scope, data.criteria) === undefined) continue
        const set = rated.get(id) ?? new Set<number>()
        set.add(i)
        rated.set(id, set)
      }
    })
    const ranked = [...rated.keys()].sort(
      (a, b) => (rated.get(b) as Set<number>).size - (rated.get(a) as Set<number>).size || a - b,
    )
    if (ranked.length < 2)
      return {
        scope,
        items: 0,
        raters: ranked.length,
        reviewers: names(data, ranked),
        status: 'not_computable' as const,
        reason: 'needs at least 2 reviewers who rated the same items',
        icc3: null,
        icc3k: null,
      }
    const common = (ids: number[]) =>
      [...(rated.get(ids[0] as number) as Set<number>)].filter((i) =>
        ids.every((id) => rated.get(id)?.has(i)),
      )
    let chosen = [ranked[0] as number, ranked[1] as number]
    let best = common(chosen).length
    for (let a = 0; a < ranked.length; a++)
      for (let b = a + 1; b < ranked.length; b++) {
        const pair = [ranked[a] as number, ranked[b] as number]
        const size = common(pair).length
        if (size > best) [chosen, best] = [pair, size]
      }
    for (const id of ranked) {
      if (chosen.includes(id)) continue
      if (common([...chosen, id]).length >= minItems) chosen = [...chosen, id]
    }
    const items = common(chosen).sort((x, y) => x - y)
    const columns = chosen.map((id) => ({
      label: data.reviewers.get(id) ?? `reviewer ${id}`,
      values: items.map((i) => scopeValue(data.items[i]?.clinicians.get(id), scope, data.criteria) as number),
    }))
    return iccFigure(scope, columns, names(data, chosen), minItems)
  })
}

/**
 * Per item with both: its index in `data.items`, the jury's and the clinicians' overall score
 * (1–5) and how many reviewers rated it on every criterion.
 */
export function overallItems(
  data: AgreementData,
): { index: number; jury: number; clinicians: number; raters: number }[] {
  const out: { index: number; jury: number; clinicians: number; raters: number }[] = []
  data.items.forEach((item, index) => {
    const jury = scopeValue(item.jury, OVERALL, data.criteria)
    const clinicians = clinicianMean(item, OVERALL, data.criteria)
    if (jury === undefined || clinicians === undefined) return
    const raters = [...item.clinicians.values()].filter(
      (s) => scopeValue(s, OVERALL, data.criteria) !== undefined,
    ).length
    out.push({ index, jury, clinicians, raters })
  })
  return out
}

/** Per item with both, the jury's and the clinicians' overall score (1–5), for the scatter plot. */
export function overallPoints(data: AgreementData): { jury: number; clinicians: number }[] {
  return overallItems(data).map(({ jury, clinicians }) => ({ jury, clinicians }))
}
