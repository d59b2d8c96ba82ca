/**
 * Adjusted p-values for many comparisons at once, as R's `p.adjust` computes them.
 * Holm (1979) controls the family-wise error rate: with p sorted ascending,
 * p̃(i) = max_{j ≤ i} min(1, (m − j + 1) · p(j)). Benjamini–Hochberg (1995) controls the false
 * discovery rate: p̃(i) = min_{j ≥ i} min(1, m · p(j) / j). Results come back in input order.
 */
export type AdjustMethod = 'holm' | 'bh'

export const ADJUST_NAMES: Record<AdjustMethod, string> = {
  holm: 'Holm',
  bh: 'Benjamini–Hochberg',
}

export function adjustP(ps: readonly number[], method: AdjustMethod): number[] {
  for (const p of ps)
    if (!(p >= 0 && p <= 1)) throw new RangeError(`adjustP: p-values must lie in [0, 1], got ${p}`)
  const m = ps.length
  const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]! || a - b)
  const out = new Array<number>(m)
  if (method === 'holm') {
    let run = 0
    order.forEach((idx, j) => {
      run = Math.max(run, Math.min(1, (m - j) * ps[idx]!))
      out[idx] = run
    })
  } else {
    let run = 1
    for (let j = m - 1; j >= 0; j--) {
      const idx = order[j]!
      run = Math.min(run, Math.min(1, (m * ps[idx]!) / (j + 1)))
      out[idx] = run
    }
  }
  return out
}
