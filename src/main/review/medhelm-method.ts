import type { ClinicianPairBaseline, IccDetail, ScorerAgreement, ScorerKind } from '../../shared/api/review'
import { fisherZInterval, spearman } from '../stats/correlation'
import { weightedKappaBootstrap } from '../stats/kappa'
import { kooLiLabel } from '../stats/koo-li'
import { intraclassCorrelations, iccUndefinedReason, meanSquares } from './stats/icc'
import { hasSpread, zScores } from './stats/zscore'

/**
 * MedHELM's validation of an automatic scorer against clinicians (som-shahlab/medhelm,
 * src/medhelm/open-ended-evals/4_calculate_icc.py), for any scorer: the jury, one judge, ROUGE-L…
 *
 * - Per item, the clinicians' composite (mean of accuracy, completeness, clarity) averaged over the
 *   clinicians who rated it, against the scorer's composite.
 * - Each of the two columns z-scored, then ICC(3,k) (two-way mixed, consistency, k = 2).
 * - Spearman's ρ with Fisher's z interval.
 * - Quadratic-weighted Cohen's κ on the scores rounded to 1–5 (half to even, as pandas rounds), with
 *   a seeded percentile bootstrap interval — only for scorers on the clinicians' 1–5 scale.
 * - The clinician–clinician baseline: ICC(3,k) on z-scored composites of the pair of clinicians with
 *   the most items in common.
 */

export const LIKERT = [1, 2, 3, 4, 5] as const

export interface PairedScores {
  clinicians: number
  scorer: number
}

export interface ScorerSpec {
  scorer: string
  name: string
  kind: ScorerKind
  /** Whether the scorer speaks the clinicians' 1–5 scale (then κ is computed). */
  likert: boolean
}

const f2 = (x: number) => x.toFixed(2)

/** Rounds half to even (numpy's and pandas' round), so 4.5 → 4 and 3.5 → 4. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x)
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** ICC(3,k) of columns of the same items, each z-scored; throws RangeError when undefined. */
export function zScoredIcc3k(columns: readonly (readonly number[])[]): IccDetail {
  const z = columns.map((c) => zScores(c))
  const n = z[0]?.length ?? 0
  const matrix = Array.from({ length: n }, (_, i) => z.map((col) => col[i] as number))
  const why = iccUndefinedReason(meanSquares(matrix))
  if (why) throw new RangeError(why)
  const e = intraclassCorrelations(matrix).ICC3k
  return {
    value: e.value,
    ci95: e.ci,
    f: e.f,
    df1: e.df1,
    df2: e.df2,
    p: e.p,
    label: kooLiLabel(e.value, e.ci).label,
  }
}

/** One plain-language sentence about an ICC with its Koo & Li label. */
export function iccVerdict(
  subject: string,
  icc: IccDetail,
  items: number,
  against = 'the clinicians',
): string {
  const ci = icc.ci95 ? `95% CI ${f2(icc.ci95[0])} to ${f2(icc.ci95[1])}` : 'no interval'
  const head = `${subject}: ${icc.label} agreement with ${against} (ICC(3,k) ${f2(icc.value)}, ${ci}, ${items} items).`
  const label = kooLiLabel(icc.value, icc.ci95)
  if (label.pointOnly) return `${head} Without an interval the label rests on the estimate alone.`
  if (label.upper === 'poor') return `${head} Its scores do not track ${against}' judgement.`
  if (label.lower === 'poor')
    return `${head} The interval is wide, from poor upward: more rated items are needed to be sure.`
  return `${head} The interval rules out poor agreement.`
}

function notComputable(spec: ScorerSpec, items: number, reason: string): ScorerAgreement {
  return {
    scorer: spec.scorer,
    name: spec.name,
    kind: spec.kind,
    items,
    status: 'not_computable',
    reason,
    icc3k: null,
    spearman: null,
    kappa: null,
    kappaNote: null,
    verdict: `${spec.name}: agreement with the clinicians cannot be computed — ${reason}.`,
  }
}

function kappaOf(
  spec: ScorerSpec,
  pairs: readonly PairedScores[],
  seed: number,
): Pick<ScorerAgreement, 'kappa' | 'kappaNote'> {
  if (!spec.likert) return { kappa: null, kappaNote: 'κ needs scores on the clinicians’ 1–5 scale' }
  const clin = pairs.map((p) => roundHalfEven(p.clinicians))
  const scor = pairs.map((p) => roundHalfEven(p.scorer))
  if ([...clin, ...scor].some((x) => x < 1 || x > 5))
    return { kappa: null, kappaNote: 'a rounded score lies outside 1–5' }
  const one = (xs: number[]) => xs.every((x) => x === xs[0])
  if (one(scor))
    return {
      kappa: null,
      kappaNote: `rounded to 1–5, every score of ${spec.name} is ${scor[0]}: κ says nothing`,
    }
  if (one(clin))
    return { kappa: null, kappaNote: `rounded to 1–5, every clinician score is ${clin[0]}: κ says nothing` }
  const k = weightedKappaBootstrap(clin, scor, LIKERT, { seed, label: spec.scorer })
  if (k.value === null) return { kappa: null, kappaNote: 'every rounded score falls in one category' }
  return { kappa: { value: k.value, ci95: k.ci95 }, kappaNote: null }
}

/** A scorer against the clinicians on the items both scored; `minItems` items at least. */
export function scorerVsClinicians(
  spec: ScorerSpec,
  pairs: readonly PairedScores[],
  options: { seed: number; minItems: number },
): ScorerAgreement {
  const n = pairs.length
  const min = Math.max(4, options.minItems)
  if (n < min) return notComputable(spec, n, `${n} items scored by both; at least ${min} are needed`)
  const clin = pairs.map((p) => p.clinicians)
  const scor = pairs.map((p) => p.scorer)
  if (!hasSpread(scor)) return notComputable(spec, n, `${spec.name} gave all ${n} items the same score`)
  if (!hasSpread(clin)) return notComputable(spec, n, `the clinicians gave all ${n} items the same score`)
  let icc: IccDetail
  try {
    icc = zScoredIcc3k([clin, scor])
  } catch (e) {
    return notComputable(spec, n, e instanceof Error ? e.message : String(e))
  }
  const rho = spearman(clin, scor)
  return {
    scorer: spec.scorer,
    name: spec.name,
    kind: spec.kind,
    items: n,
    status: 'ok',
    reason: null,
    icc3k: icc,
    spearman: rho === null ? null : { rho, ci95: fisherZInterval(rho, n) },
    ...kappaOf(spec, pairs, options.seed),
    verdict: iccVerdict(spec.name, icc, n),
  }
}

/**
 * The pair of raters with the most items in common; ties go to the pair first in name order (row
 * by row, as MedHELM's argmax over its sorted overlap matrix).
 */
export function mostOverlapPair(
  byRater: ReadonlyMap<string, ReadonlyMap<string, number>>,
): { pair: [string, string]; items: string[] } | null {
  const names = [...byRater.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  let best: { pair: [string, string]; items: string[] } | null = null
  for (let a = 0; a < names.length; a++)
    for (let b = a + 1; b < names.length; b++) {
      const A = byRater.get(names[a] as string) as ReadonlyMap<string, number>
      const B = byRater.get(names[b] as string) as ReadonlyMap<string, number>
      const items = [...A.keys()].filter((i) => B.has(i))
      if (items.length > 0 && (!best || items.length > best.items.length))
        best = { pair: [names[a] as string, names[b] as string], items }
    }
  return best
}

/** MedHELM's clinician–clinician baseline from each clinician's composite per item. */
export function clinicianPairBaseline(
  byRater: ReadonlyMap<string, ReadonlyMap<string, number>>,
  minItems: number,
): ClinicianPairBaseline {
  const found = mostOverlapPair(byRater)
  const none = (raters: string[], items: number, reason: string): ClinicianPairBaseline => ({
    raters,
    items,
    status: 'not_computable',
    reason,
    icc3k: null,
    verdict: `Clinician–clinician baseline cannot be computed — ${reason}.`,
  })
  if (!found) return none([], 0, 'no two clinicians rated the same item')
  const { pair, items } = found
  const min = Math.max(2, minItems)
  if (items.length < min)
    return none(
      pair,
      items.length,
      `the two clinicians with most items in common share ${items.length}; at least ${min} are needed`,
    )
  const columns = pair.map((r) => items.map((i) => byRater.get(r)?.get(i) as number))
  const flat = columns.findIndex((c) => !hasSpread(c))
  if (flat !== -1)
    return none(pair, items.length, `${pair[flat]} gave all ${items.length} shared items the same score`)
  try {
    const icc = zScoredIcc3k(columns)
    return {
      raters: pair,
      items: items.length,
      status: 'ok',
      reason: null,
      icc3k: icc,
      verdict: iccVerdict(`${pair[0]} and ${pair[1]}`, icc, items.length, 'each other'),
    }
  } catch (e) {
    return none(pair, items.length, e instanceof Error ? e.message : String(e))
  }
}

/** Scorers best first: by ICC(3,k), those not computable last (by name). */
export function rankScorers(scorers: readonly ScorerAgreement[]): ScorerAgreement[] {
  return [...scorers].sort((a, b) => {
    const x = a.icc3k?.value ?? -Infinity
    const y = b.icc3k?.value ?? -Infinity
    return y - x || a.name.localeCompare(b.name)
  })
}

/** The league's answer in plain words: the best scorer, its label, and how clinicians agree among themselves. */
export function leagueHeadline(ranked: readonly ScorerAgreement[], baseline: ClinicianPairBaseline): string {
  const best = ranked.find((s) => s.status === 'ok' && s.icc3k)
  if (!best?.icc3k)
    return ranked.length === 0
      ? 'No automatic scorer has scored these outputs yet.'
      : 'No scorer can be compared with the clinicians yet: too few outputs are rated and scored.'
  const head = `${best.name} agrees best with your clinicians: ICC(3,k) ${f2(best.icc3k.value)}, ${best.icc3k.label} on the Koo & Li scale.`
  if (baseline.status !== 'ok' || !baseline.icc3k)
    return `${head} No clinician–clinician baseline yet (two clinicians must rate the same outputs).`
  const b = baseline.icc3k.value
  const relation = best.icc3k.value >= b ? 'at least as closely as' : 'less closely than'
  return `${head} It follows them ${relation} two clinicians follow each other (ICC(3,k) ${f2(b)}, ${baseline.icc3k.label}).`
}
