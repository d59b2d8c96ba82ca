import { quantileSorted } from '../stats/descriptive'
import { seededRng } from '../stats/random'
import { normalize, type MatrixColumn, type ScoreMatrix } from './score-matrix'

/**
 * Uncertainty of the whole leaderboard by one bootstrap (statistics.md, "Uncertainty of win rates
 * and ranks"): in each resample, instances are drawn with replacement within every benchmark (one
 * draw per benchmark shared by its models when paired), every cell's mean is recomputed, and from
 * those cells HELM's win rates, the macro-averages (overall and per category) and the ranks. The
 * 2.5% and 97.5% quantiles give the intervals. Each column has its own seeded stream, so a column's
 * draws do not depend on the others or on how the work is chunked.
 */

export interface Aggregates {
  /** Per model; NaN where the model has none. */
  winRate: Float64Array
  macro: Float64Array
  rank: Float64Array
  /** Per group: per model macro-average (NaN: no column of the group). */
  groupMacro: Map<string, Float64Array>
}

/**
 * Win rates (HELM's rule, as ./win-rate.ts: ties half a win, columns with fewer than 2 models
 * skipped), macro-averages of the 0–1 values (overall and per group) and ranks from one set of
 * cell means (`means[c][k]`: column c, its k-th model), without allocating: the bootstrap calls it
 * once per resample. Tested to agree with `aggregateWinRates` and `meanAndSd`.
 */
export function aggregator(matrix: ScoreMatrix): (means: readonly ArrayLike<number>[]) => Aggregates {
  const M = matrix.models.length
  const groups = [...new Set(matrix.columns.map((c) => c.group))]
  const groupIndex = matrix.columns.map((c) => groups.indexOf(c.group))
  const winSum = new Float64Array(M)
  const winCount = new Float64Array(M)
  const normSum = new Float64Array(M)
  const normCount = new Float64Array(M)
  const gSum = groups.map(() => new Float64Array(M))
  const gCount = groups.map(() => new Float64Array(M))
  const out: Aggregates = {
    winRate: new Float64Array(M),
    macro: new Float64Array(M),
    rank: new Float64Array(M),
    groupMacro: new Map(groups.map((g) => [g, new Float64Array(M)])),
  }
  return (means) => {
    winSum.fill(0)
    winCount.fill(0)
    normSum.fill(0)
    normCount.fill(0)
    gSum.forEach((a) => a.fill(0))
    gCount.forEach((a) => a.fill(0))
    matrix.columns.forEach((col, c) => {
      const v = means[c]!
      const K = col.models.length
      const gs = gSum[groupIndex[c]!]!
      const gc = gCount[groupIndex[c]!]!
      for (let k = 0; k < K; k++) {
        const m = col.models[k]!
        const x = normalize(col, v[k]!)
        normSum[m]! += x
        normCount[m]! += 1
        gs[m]! += x
        gc[m]! += 1
        if (K < 2) continue
        let wins = -0.5
        for (let j = 0; j < K; j++) wins += v[j]! < v[k]! ? 1 : v[j] === v[k] ? 0.5 : 0
        winSum[m]! += wins / (K - 1)
        winCount[m]! += 1
      }
    })
    for (let m = 0; m < M; m++) {
      out.winRate[m] = winCount[m] ? winSum[m]! / winCount[m]! : NaN
      out.macro[m] = normCount[m] ? normSum[m]! / normCount[m]! : NaN
    }
    groups.forEach((g, i) => {
      const t = out.groupMacro.get(g)!
      for (let m = 0; m < M; m++) t[m] = gCount[i]![m] ? gSum[i]![m]! / gCount[i]![m]! : NaN
    })
    ranksInto(out.winRate, out.macro, out.rank)
    return out
  }
}

const better = (a: number, b: number) => (Number.isNaN(a) ? -Infinity : a) > (Number.isNaN(b) ? -Infinity : b)
const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b))

/** Rank 1 + models strictly ahead by mean win rate, then macro-average. */
export function ranksInto(winRate: Float64Array, macro: Float64Array, out: Float64Array): void {
  const M = winRate.length
  for (let i = 0; i < M; i++) {
    let ahead = 0
    for (let j = 0; j < M; j++)
      if (
        better(winRate[j]!, winRate[i]!) ||
        (same(winRate[j]!, winRate[i]!) && better(macro[j]!, macro[i]!))
      )
        ahead++
    out[i] = ahead + 1
  }
}

export interface BootstrapResult {
  resamples: number
  /** cellMeans[c][k]: the B resampled means of column c's k-th model. */
  cellMeans: Float64Array[][]
  /** Per model: B resampled values. */
  winRate: Float64Array[]
  macro: Float64Array[]
  rank: Float64Array[]
  groupMacro: Map<string, Float64Array[]>
}

/**
 * Phase 1 for one column: its models' B resampled means. The column's own seeded stream draws the
 * resamples in order, so the result is the same whichever thread computes it.
 */
export function columnMeans(col: MatrixColumn, seed: number, resamples: number): Float64Array[] {
  const rng = seededRng(seed, `bootstrap|${col.key}`)
  const out = col.values.map(() => new Float64Array(resamples))
  const idx = new Int32Array(Math.max(1, ...col.values.map((v) => v.length)))
  const draw = (n: number) => rng.fillInts(idx, n, n)
  for (let r = 0; r < resamples; r++) {
    if (col.paired) draw(col.values[0]!.length)
    for (let k = 0; k < col.values.length; k++) {
      const v = col.values[k]!
      const n = v.length
      if (!col.paired) draw(n)
      let s = 0
      for (let i = 0; i < n; i++) s += v[idx[i]!]!
      out[k]![r] = s / n
    }
  }
  return out
}

/** Phase 2: win rates, macro-averages and ranks of every resample, from the cell means. */
function* aggregateSteps(
  matrix: ScoreMatrix,
  cellMeans: Float64Array[][],
  resamples: number,
  chunk: number,
  from: number,
): Generator<number, BootstrapResult> {
  const M = matrix.models.length
  const perModel = () => Array.from({ length: M }, () => new Float64Array(resamples))
  const groups = [...new Set(matrix.columns.map((c) => c.group))]
  const result: BootstrapResult = {
    resamples,
    cellMeans,
    winRate: perModel(),
    macro: perModel(),
    rank: perModel(),
    groupMacro: new Map(groups.map((g) => [g, perModel()])),
  }
  const aggregate = aggregator(matrix)
  const current = cellMeans.map((c) => new Float64Array(c.length))
  for (let r = 0; r < resamples; r++) {
    cellMeans.forEach((c, ci) => c.forEach((arr, k) => (current[ci]![k] = arr[r]!)))
    const agg = aggregate(current)
    for (let m = 0; m < M; m++) {
      result.winRate[m]![r] = agg.winRate[m]!
      result.macro[m]![r] = agg.macro[m]!
      result.rank[m]![r] = agg.rank[m]!
    }
    for (const [g, vals] of agg.groupMacro) vals.forEach((v, m) => (result.groupMacro.get(g)![m]![r] = v))
    if ((r + 1) % chunk === 0 && r + 1 < resamples)
      yield Math.floor(from + ((resamples - from) * (r + 1)) / resamples)
  }
  return result
}

/** Share of the reported progress given to phase 1 (the cell means, the bulk of the work). */
const PHASE1 = 0.8

/**
 * The bootstrap as steps: yields progress (0 … resamples) after each column and each chunk of
 * resamples (so a caller can report it and let other work run), returns the result.
 */
export function* bootstrapSteps(
  matrix: ScoreMatrix,
  options: { resamples: number; seed: number; chunk?: number; cellMeans?: Float64Array[][] },
): Generator<number, BootstrapResult> {
  const B = options.resamples
  let cellMeans = options.cellMeans
  if (!cellMeans) {
    cellMeans = []
    const total = matrix.columns.reduce((s, c) => s + c.values.length, 0) || 1
    let done = 0
    for (const col of matrix.columns) {
      cellMeans.push(columnMeans(col, options.seed, B))
      done += col.values.length
      yield Math.floor((PHASE1 * B * done) / total)
    }
  }
  return yield* aggregateSteps(matrix, cellMeans, B, options.chunk ?? 100, Math.floor(PHASE1 * B))
}

/** Runs the steps to the end in one go. */
export function runSteps<T>(steps: Generator<number, T>): T {
  for (;;) {
    const s = steps.next()
    if (s.done) return s.value
  }
}

/** Runs the steps, giving the event loop a turn after each chunk and reporting progress. */
export async function runStepsAsync<T>(
  steps: Generator<number, T>,
  onProgress?: (done: number) => void,
): Promise<T> {
  for (;;) {
    const s = steps.next()
    if (s.done) return s.value
    onProgress?.(s.value)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** The 95% (or `level`) percentile interval of bootstrap values, ignoring NaN; null when none is finite. */
export function intervalOf(values: Float64Array, level = 0.95): { lo: number; hi: number } | null {
  const finite = values.filter((v) => !Number.isNaN(v)).sort()
  if (finite.length === 0) return null
  const tail = (1 - level) / 2
  return { lo: quantileSorted(finite, tail), hi: quantileSorted(finite, 1 - tail) }
}

export interface RankSummary {
  lo: number
  hi: number
  tieGroup: number
  notSeparableFrom: number[]
}

/**
 * Rank intervals (2.5–97.5% of the bootstrap ranks, widened to whole ranks) and tie groups: models
 * whose intervals overlap, directly or through a chain, share a group, numbered from the top.
 */
export function rankSummaries(rank: readonly Float64Array[], level = 0.95): RankSummary[] {
  const iv = rank.map((r) => {
    const i = intervalOf(r, level)!
    return { lo: Math.floor(i.lo + 1e-9), hi: Math.ceil(i.hi - 1e-9) }
  })
  const order = iv.map((_, m) => m).sort((a, b) => iv[a]!.lo - iv[b]!.lo || iv[a]!.hi - iv[b]!.hi)
  const group = new Array<number>(iv.length)
  let g = 0
  let reach = -Infinity
  for (const m of order) {
    if (iv[m]!.lo > reach) g++
    reach = Math.max(reach, iv[m]!.hi)
    group[m] = g
  }
  return iv.map((x, m) => ({
    ...x,
    tieGroup: group[m]!,
    notSeparableFrom: iv.flatMap((y, o) => (o !== m && x.lo <= y.hi && y.lo <= x.hi ? [o] : [])),
  }))
}
