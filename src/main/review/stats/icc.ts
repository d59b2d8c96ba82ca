import { fQuantile, fSurvival } from '../../stats/distributions'

/**
 * Intraclass correlations of n targets each rated by the same k raters (Shrout & Fleiss 1979),
 * from the two-way ANOVA mean squares: between targets (BMS), within targets (WMS), between raters
 * (JMS) and residual (EMS).
 *
 *   ICC(1,1) = (BMS − WMS) / (BMS + (k−1)·WMS)                 one-way random, absolute agreement
 *   ICC(2,1) = (BMS − EMS) / (BMS + (k−1)·EMS + k(JMS − EMS)/n) two-way random, absolute agreement
 *   ICC(3,1) = (BMS − EMS) / (BMS + (k−1)·EMS)                 two-way mixed, consistency
 *   ICC(1,k) = (BMS − WMS) / BMS
 *   ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS)/n)
 *   ICC(3,k) = (BMS − EMS) / BMS
 *
 * The k versions are the reliability of the mean of the k raters. Confidence intervals come from
 * the F distribution as in Shrout & Fleiss and McGraw & Wong (1996), with Satterthwaite's degrees
 * of freedom for ICC(2,·) — the same formulas as R's psych::ICC and Python's pingouin.intraclass_corr.
 */

export const ICC_TYPES = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'] as const
export type IccType = (typeof ICC_TYPES)[number]

export interface MeanSquares {
  /** Targets (rows). */
  n: number
  /** Raters (columns). */
  k: number
  bms: number
  wms: number
  jms: number
  ems: number
}

export interface IccEstimate {
  type: IccType
  value: number
  /** The F statistic of the test that the ICC is 0; null when a variance in its denominator is 0. */
  f: number | null
  df1: number
  df2: number
  p: number | null
  /** Confidence interval; null when the F statistic is undefined. */
  ci: [number, number] | null
}

/** Two-way ANOVA mean squares of a complete n × k matrix (rows: targets, columns: raters). */
export function meanSquares(matrix: readonly (readonly number[])[]): MeanSquares {
  const n = matrix.length
  const k = matrix[0]?.length ?? 0
  if (n < 2 || k < 2) throw new RangeError(`ICC needs at least 2 targets and 2 raters, got ${n} × ${k}`)
  matrix.forEach((row, i) => {
    if (row.length !== k) throw new RangeError(`ICC: row ${i} has ${row.length} ratings, expected ${k}`)
    row.forEach((x, j) => {
      if (!Number.isFinite(x)) throw new RangeError(`ICC: rating [${i}][${j}] is not a finite number`)
    })
  })
  let total = 0
  for (const row of matrix) for (const x of row) total += x
  const grand = total / (n * k)
  const rowMeans = matrix.map((row) => row.reduce((a, b) => a + b, 0) / k)
  const colMeans = Array.from(
    { length: k },
    (_, j) => matrix.reduce((a, row) => a + (row[j] as number), 0) / n,
  )
  let sst = 0
  for (const row of matrix) for (const x of row) sst += (x - grand) ** 2
  const ssb = k * rowMeans.reduce((a, m) => a + (m - grand) ** 2, 0)
  const ssj = n * colMeans.reduce((a, m) => a + (m - grand) ** 2, 0)
  const ssw = Math.max(0, sst - ssb)
  const sse = Math.max(0, sst - ssb - ssj)
  return {
    n,
    k,
    bms: ssb / (n - 1),
    wms: ssw / (n * (k - 1)),
    jms: ssj / (k - 1),
    ems: sse / ((n - 1) * (k - 1)),
  }
}

/**
 * Why no ICC can be computed from these mean squares, or null. When the targets do not differ
 * (BMS = 0) every ICC is 0/0 or negative without meaning.
 */
export function iccUndefinedReason(ms: MeanSquares): string | null {
  const scale = ms.bms + ms.wms + ms.jms + ms.ems
  if (scale === 0) return 'every rating is the same'
  if (ms.bms <= 1e-12 * scale) return 'the items’ scores do not differ from one another'
  return null
}

const tiny = (x: number, ms: MeanSquares) => x <= 1e-12 * (ms.bms + ms.wms + ms.jms + ms.ems)

/** All six ICCs with their F tests and confidence intervals (default 95 %). */
export function intraclassCorrelations(
  matrix: readonly (readonly number[])[],
  confidence = 0.95,
): Record<IccType, IccEstimate> {
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must lie strictly between 0 and 1, got ${confidence}`)
  const ms = meanSquares(matrix)
  const why = iccUndefinedReason(ms)
  if (why) throw new RangeError(`ICC is undefined: ${why}`)
  const { n, k, bms, wms, jms, ems } = ms
  const q = 1 - (1 - confidence) / 2
  const df1 = n - 1
  const dfW = n * (k - 1)
  const dfE = (n - 1) * (k - 1)

  const icc1 = (bms - wms) / (bms + (k - 1) * wms)
  const icc2 = (bms - ems) / (bms + (k - 1) * ems + (k * (jms - ems)) / n)
  const icc3 = (bms - ems) / (bms + (k - 1) * ems)
  const icc1k = (bms - wms) / bms
  const icc2k = (bms - ems) / (bms + (jms - ems) / n)
  const icc3k = (bms - ems) / bms

  const single = (fl: number, fu: number): [number, number] => [
    (fl - 1) / (fl + k - 1),
    (fu - 1) / (fu + k - 1),
  ]
  const average = (fl: number, fu: number): [number, number] => [1 - 1 / fl, 1 - 1 / fu]

  // ICC(1,·): F = BMS / WMS on (n−1, n(k−1)).
  const f1 = tiny(wms, ms) ? null : bms / wms
  let ci1: [number, number] | null = null
  let ci1k: [number, number] | null = null
  if (f1 !== null) {
    const fl = f1 / fQuantile(q, df1, dfW)
    const fu = f1 * fQuantile(q, dfW, df1)
    ci1 = single(fl, fu)
    ci1k = average(fl, fu)
  }
  // ICC(3,·) and the test of ICC(2,·): F = BMS / EMS on (n−1, (n−1)(k−1)).
  const f3 = tiny(ems, ms) ? null : bms / ems
  let ci3: [number, number] | null = null
  let ci3k: [number, number] | null = null
  let ci2: [number, number] | null = null
  let ci2k: [number, number] | null = null
  if (f3 !== null) {
    const fl = f3 / fQuantile(q, df1, dfE)
    const fu = f3 * fQuantile(q, dfE, df1)
    ci3 = single(fl, fu)
    ci3k = average(fl, fu)
    // ICC(2,1): Satterthwaite's approximate degrees of freedom v (McGraw & Wong 1996, case 2A).
    const fj = jms / ems
    const a = k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2
    const v =
      (dfE * a ** 2) / (df1 * k ** 2 * icc2 ** 2 * fj ** 2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2)
    if (Number.isFinite(v) && v > 0) {
      const fU = fQuantile(q, df1, v)
      const fL = fQuantile(q, v, df1)
      const c = k * jms + (k * n - k - n) * ems
      const lo = (n * (bms - fU * ems)) / (fU * c + n * bms)
      const hi = (n * (fL * bms - ems)) / (c + n * fL * bms)
      ci2 = [lo, hi]
      ci2k = [(lo * k) / (1 + lo * (k - 1)), (hi * k) / (1 + hi * (k - 1))]
    }
  }
  const p1 = f1 === null ? null : fSurvival(f1, df1, dfW)
  const p3 = f3 === null ? null : fSurvival(f3, df1, dfE)
  const est = (
    type: IccType,
    value: number,
    f: number | null,
    d2: number,
    p: number | null,
    ci: [number, number] | null,
  ): IccEstimate => ({ type, value, f, df1, df2: d2, p, ci })
  return {
    ICC1: est('ICC1', icc1, f1, dfW, p1, ci1),
    ICC2: est('ICC2', icc2, f3, dfE, p3, ci2),
    ICC3: est('ICC3', icc3, f3, dfE, p3, ci3),
    ICC1k: est('ICC1k', icc1k, f1, dfW, p1, ci1k),
    ICC2k: est('ICC2k', icc2k, f3, dfE, p3, ci2k),
    ICC3k: est('ICC3k', icc3k, f3, dfE, p3, ci3k),
  }
}
