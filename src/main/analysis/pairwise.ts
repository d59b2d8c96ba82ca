import type { PairwiseComparison } from '../../shared/api/leaderboard'
import { formatInterval, formatP, formatSigned } from '../../shared/statistics-text'
import { differenceInterval } from '../stats/bootstrap'
import { discordantCounts, exactMcNemar } from '../stats/mcnemar'
import { ADJUST_NAMES, adjustP, type AdjustMethod } from '../stats/multiplicity'
import {
  DEFAULT_PERMUTATIONS,
  NORMAL_MIN_TERMS,
  signFlipTest,
  type PermutationResult,
  type SignFlipStratum,
} from '../stats/permutation'
import { seededRng } from '../stats/random'
import { intervalOf, runSteps, type BootstrapResult } from './uncertainty'
import { normalize, type MatrixColumn, type ScoreMatrix } from './score-matrix'

/**
 * Every pair of models compared on every benchmark and on every category (over the benchmarks both
 * have there, on 0–1): the difference with its 95% interval from the leaderboard's bootstrap, a
 * paired test — exact McNemar for 0/1 scores, a sign-flip permutation test otherwise, stratified by
 * benchmark for a category — and the p-values adjusted over every comparison listed. The unpaired
 * view gives differences and intervals but no test: a paired test needs the same instances.
 */

export interface PairwiseOptions {
  seed: number
  adjust: AdjustMethod
  permutations?: number
  level?: number
  /** Display name of each column (by key) and group (by id). */
  columnName: (key: string) => string
  groupName: (id: string) => string
}

type Draft = Omit<PairwiseComparison, 'pAdjusted' | 'adjustMethod' | 'significant' | 'sentence'>

const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length

/** The test as named in every output: which form of the sign-flip test gave the p-value. */
function signFlipName(method: PermutationResult['method'], stratified: boolean): string {
  const what = stratified ? 'sign-flip permutation stratified by benchmark' : 'paired sign-flip permutation'
  return method === 'normal' ? `${what} (normal limit, over ${NORMAL_MIN_TERMS} differences)` : what
}

function benchmarkPairs(
  matrix: ScoreMatrix,
  boot: BootstrapResult,
  col: MatrixColumn,
  ci: number,
  o: PairwiseOptions,
): Draft[] {
  const out: Draft[] = []
  for (let i = 0; i < col.models.length; i++)
    for (let j = i + 1; j < col.models.length; j++) {
      const a = col.values[i]!
      const b = col.values[j]!
      const modelA = matrix.models[col.models[i]!]!
      const modelB = matrix.models[col.models[j]!]!
      const base = {
        scope: 'benchmark' as const,
        id: col.key,
        name: o.columnName(col.key),
        modelA,
        modelB,
        n: col.paired ? a.length : a.length + b.length,
        meanA: mean(a),
        meanB: mean(b),
        difference: mean(a) - mean(b),
        ci: differenceInterval(boot.cellMeans[ci]![i]!, boot.cellMeans[ci]![j]!, o.level),
      }
      if (!col.paired) out.push({ ...base, test: 'none', testName: 'none (unpaired view)', p: null })
      else if (col.binary) {
        const { b: onlyA, c: onlyB } = discordantCounts(a, b)
        out.push({
          ...base,
          test: 'mcnemar-exact',
          testName: 'exact McNemar',
          p: exactMcNemar(onlyA, onlyB).p,
        })
      } else {
        const rng = seededRng(o.seed, `signflip|${col.key}|${modelA}|${modelB}`)
        const diffs = a.map((x, t) => x - b[t]!)
        const r = signFlipTest([{ diffs, weight: 1 / a.length }], rng, o.permutations ?? DEFAULT_PERMUTATIONS)
        out.push({ ...base, test: 'sign-flip-permutation', testName: signFlipName(r.method, false), p: r.p })
      }
    }
  return out
}

/** A pair over a category's benchmarks that both models have (at least 2 of them). */
function categoryPair(
  matrix: ScoreMatrix,
  boot: BootstrapResult,
  group: string,
  mA: number,
  mB: number,
  o: PairwiseOptions,
): Draft | null {
  const shared = matrix.columns.flatMap((col, c) => {
    const i = col.models.indexOf(mA)
    const j = col.models.indexOf(mB)
    return col.group === group && i >= 0 && j >= 0 ? [{ col, c, i, j }] : []
  })
  if (shared.length < 2) return null
  const C = shared.length
  const B = boot.resamples
  const bootA = new Float64Array(B)
  const bootB = new Float64Array(B)
  let meanA = 0
  let meanB = 0
  for (const s of shared) {
    meanA += normalize(s.col, mean(s.col.values[s.i]!)) / C
    meanB += normalize(s.col, mean(s.col.values[s.j]!)) / C
    const ba = boot.cellMeans[s.c]![s.i]!
    const bb = boot.cellMeans[s.c]![s.j]!
    for (let r = 0; r < B; r++) {
      bootA[r] = bootA[r]! + normalize(s.col, ba[r]!) / C
      bootB[r] = bootB[r]! + normalize(s.col, bb[r]!) / C
    }
  }
  const paired = shared.every((s) => s.col.paired)
  const n = shared.reduce(
    (t, s) => t + s.col.values[s.i]!.length + (paired ? 0 : s.col.values[s.j]!.length),
    0,
  )
  const modelA = matrix.models[mA]!
  const modelB = matrix.models[mB]!
  const base = {
    scope: 'category' as const,
    id: group,
    name: o.groupName(group),
    modelA,
    modelB,
    n,
    meanA,
    meanB,
    difference: meanA - meanB,
    ci: differenceInterval(bootA, bootB, o.level),
  }
  if (!paired) return { ...base, test: 'none', testName: 'none (unpaired view)', p: null }
  const strata: SignFlipStratum[] = shared.map((s) => {
    const a = s.col.values[s.i]!
    const b = s.col.values[s.j]!
    const scale = s.col.rescale ? 0.25 : 1
    return { diffs: a.map((x, t) => (x - b[t]!) * scale), weight: 1 / (a.length * C) }
  })
  const rng = seededRng(o.seed, `signflip|category|${group}|${modelA}|${modelB}`)
  const r = signFlipTest(strata, rng, o.permutations ?? DEFAULT_PERMUTATIONS)
  return {
    ...base,
    test: 'stratified-sign-flip-permutation',
    testName: signFlipName(r.method, true),
    p: r.p,
  }
}

export function pairwiseComparisons(
  matrix: ScoreMatrix,
  boot: BootstrapResult,
  o: PairwiseOptions,
): PairwiseComparison[] {
  return runSteps(pairwiseSteps(matrix, boot, o))
}

/** The same as steps: yields the benchmarks and categories done (for progress and a responsive app). */
export function* pairwiseSteps(
  matrix: ScoreMatrix,
  boot: BootstrapResult,
  o: PairwiseOptions,
): Generator<number, PairwiseComparison[]> {
  const drafts: Draft[] = []
  let done = 0
  for (const [c, col] of matrix.columns.entries()) {
    drafts.push(...benchmarkPairs(matrix, boot, col, c, o))
    yield ++done
  }
  const M = matrix.models.length
  for (const g of new Set(matrix.columns.map((c) => c.group))) {
    for (let a = 0; a < M; a++)
      for (let b = a + 1; b < M; b++) {
        const d = categoryPair(matrix, boot, g, a, b, o)
        if (d) drafts.push(d)
      }
    yield ++done
  }
  return finishComparisons(drafts, o.adjust)
}

/** Adjusts the p-values over all the comparisons and writes the sentence of each significant one. */
export function finishComparisons(
  drafts: readonly Draft[],
  adjust: AdjustMethod,
  alpha = 0.05,
): PairwiseComparison[] {
  const tested = drafts.flatMap((d, i) => (d.p === null ? [] : [i]))
  const adjusted = adjustP(
    tested.map((i) => drafts[i]!.p!),
    adjust,
  )
  const byIndex = new Map(tested.map((i, k) => [i, adjusted[k]!]))
  const method = ADJUST_NAMES[adjust]
  return drafts.map((d, i) => {
    const pAdjusted = byIndex.get(i) ?? null
    const significant = pAdjusted !== null && pAdjusted < alpha
    return {
      ...d,
      pAdjusted,
      adjustMethod: method,
      significant,
      sentence: significant ? comparisonSentence(d, pAdjusted, method) : null,
    }
  })
}

/** "A scores higher than B on X: +0.12 [0.04, 0.20], Holm-adjusted p = 0.003". */
export function comparisonSentence(d: Draft, pAdjusted: number, method: string): string {
  const flip = d.difference < 0
  const [hi, lo] = flip ? [d.modelB, d.modelA] : [d.modelA, d.modelB]
  const diff = Math.abs(d.difference)
  const ci = flip ? { lo: -d.ci.hi, hi: -d.ci.lo } : d.ci
  return `${hi} scores higher than ${lo} on ${d.name}: ${formatSigned(diff)} ${formatInterval(ci)}, ${method}-adjusted ${formatP(pAdjusted)}`
}

export { intervalOf }
