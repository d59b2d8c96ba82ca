import { describe, expect, it } from 'vitest'
import {
  bootstrapMeanInterval,
  differenceInterval,
  pairedBootstrapMeans,
} from '../../../src/main/stats/bootstrap'
import { discordantCounts, exactMcNemar, isBinary } from '../../../src/main/stats/mcnemar'
import { adjustP } from '../../../src/main/stats/multiplicity'
import { pairedSignFlipTest, signFlipTest } from '../../../src/main/stats/permutation'
import {
  independentDiscordance,
  mcnemarDetectableDifference,
  mcnemarSampleSize,
  mcnemarSampleSizeExact,
} from '../../../src/main/stats/power'
import { seededRng } from '../../../src/main/stats/random'

describe('exact McNemar', () => {
  it('is twice the binomial tail of the smaller discordant count', () => {
    // b = 2, c = 10: 2 · P(Bin(12, ½) ≤ 2) = 2 · (1 + 12 + 66) / 4096 = 0.0385742…
    expect(exactMcNemar(2, 10).p).toBeCloseTo(158 / 4096, 12)
    expect(exactMcNemar(10, 2).p).toBeCloseTo(158 / 4096, 12)
    // mid-p: 2 · (P(≤ 1) + ½ P(= 2)) = 2 · (13 + 33) / 4096
    expect(exactMcNemar(2, 10).midP).toBeCloseTo(92 / 4096, 12)
    // R: binom.test(1, 8)$p.value = 0.0703125 (= 2 · 9 / 256)
    expect(exactMcNemar(1, 7).p).toBeCloseTo(0.0703125, 12)
    expect(exactMcNemar(0, 0).p).toBe(1)
    expect(exactMcNemar(5, 5).p).toBe(1)
    expect(() => exactMcNemar(-1, 2)).toThrow(/whole number/)
  })

  it('counts discordant instances and recognises binary scores', () => {
    expect(discordantCounts([1, 1, 0, 0, 1], [0, 1, 1, 0, 0])).toEqual({ b: 2, c: 1 })
    expect(isBinary([0, 1, 1])).toBe(true)
    expect(isBinary([0, 0.5])).toBe(false)
  })
})

describe("multiplicity adjustment (R's p.adjust)", () => {
  it('reproduces the worked example', () => {
    const p = [0.01, 0.02, 0.03, 0.04, 0.05]
    adjustP(p, 'holm').forEach((x, i) => expect(x).toBeCloseTo([0.05, 0.08, 0.09, 0.09, 0.09][i]!, 12))
    adjustP(p, 'bh').forEach((x) => expect(x).toBeCloseTo(0.05, 12))
  })

  it('returns the adjusted values in input order, with the running max (Holm) and min (BH)', () => {
    // By the definitions, over the sorted p = .001 .008 .039 .041 .042 .06 .074 .205 (m = 8):
    // Holm 8·.001, 7·.008, then 6·.039 = .234 carried up; BH min over j ≥ i of 8·p(j)/j.
    const p = [0.042, 0.001, 0.06, 0.008, 0.039, 0.041, 0.205, 0.074]
    const holm = [0.234, 0.008, 0.234, 0.056, 0.234, 0.234, 0.234, 0.234]
    const bh = [0.0672, 0.008, 0.08, 0.032, 0.0672, 0.0672, 0.205, 0.08457143]
    adjustP(p, 'holm').forEach((x, i) => expect(x).toBeCloseTo(holm[i]!, 6))
    adjustP(p, 'bh').forEach((x, i) => expect(x).toBeCloseTo(bh[i]!, 6))
    expect(adjustP([], 'holm')).toEqual([])
    expect(() => adjustP([1.2], 'bh')).toThrow(/\[0, 1\]/)
  })
})

describe('paired sign-flip permutation test', () => {
  it('enumerates every sign pattern when there are few differences', () => {
    // d = 1, 2, 3: |T| = 6 is reached only by all + and all − → p = 2 / 8.
    const r = pairedSignFlipTest([2, 3, 4], [1, 1, 1], seededRng(1, 't'))
    expect(r.method).toBe('exact')
    expect(r.p).toBeCloseTo(0.25, 12)
    expect(pairedSignFlipTest([1, 1], [1, 1], seededRng(1)).p).toBe(1)
  })

  it('is seeded and agrees with the exact distribution by Monte Carlo', () => {
    const a = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 3 : 2) + (i % 7) / 10)
    const b = Array.from({ length: 40 }, (_, i) => 2 + (i % 5) / 10)
    const one = pairedSignFlipTest(a, b, seededRng(7, 'x'))
    const two = pairedSignFlipTest(a, b, seededRng(7, 'x'))
    expect(one.method).toBe('monte-carlo')
    expect(one.p).toBe(two.p)
    expect(one.p).toBeLessThan(0.01)
    // No difference at all in distribution: p well away from 0.
    const flat = signFlipTest(
      [{ diffs: [1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 2, -2], weight: 1 }],
      seededRng(3),
    )
    expect(flat.p).toBeGreaterThan(0.5)
  })

  it('uses the normal limit above 200 differences: the Monte Carlo p within its error, and p below 1/10,001', () => {
    // 300 jury-like differences (thirds of a point), a small true shift.
    const gen = seededRng(11, 'normal-limit')
    const diffs = Float64Array.from({ length: 300 }, () => (gen.int(13) - 6) / 3 + 0.12)
    const strata = [{ diffs, weight: 1 / 300 }]
    const normal = signFlipTest(strata, seededRng(1))
    expect(normal.method).toBe('normal')
    // The Monte Carlo test on the same data (forced: more flips than 2^m is impossible here).
    const mc = signFlipTestMonteCarlo(strata, 200_000)
    expect(Math.abs(normal.p - mc)).toBeLessThan(0.005)
    const strong = Float64Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? -1 : 1))
    expect(signFlipTest([{ diffs: strong, weight: 1 / 300 }], seededRng(1)).p).toBeLessThan(1e-10)
  })
})

/** Plain Monte Carlo sign flips (no grouping, no normal limit): the reference for the limit. */
function signFlipTestMonteCarlo(strata: { diffs: Float64Array; weight: number }[], flips: number): number {
  const w = strata.flatMap((s) => Array.from(s.diffs, (d) => d * s.weight)).filter((x) => x !== 0)
  const t = Math.abs(w.reduce((a, b) => a + b, 0))
  const rng = seededRng(5, 'reference')
  let hits = 0
  for (let r = 0; r < flips; r++) {
    let u = 0
    for (const x of w) u += rng.next() < 0.5 ? -x : x
    if (Math.abs(u) >= t - 1e-12) hits++
  }
  return (1 + hits) / (1 + flips)
}

describe('percentile bootstrap', () => {
  it('is seeded: the same data and seed give the same interval', () => {
    const xs = Array.from({ length: 50 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0))
    const a = bootstrapMeanInterval(xs, seededRng(42, 'cell'))
    const b = bootstrapMeanInterval(xs, seededRng(42, 'cell'))
    expect(a).toEqual(b)
    expect(a.ci.lo).toBeLessThan(a.mean)
    expect(a.ci.hi).toBeGreaterThan(a.mean)
  })

  it('covers a known proportion about 95% of the time (400 seeded data sets)', () => {
    const truth = 0.4
    const n = 100
    let covered = 0
    const data = seededRng(2026, 'coverage-data')
    for (let s = 0; s < 400; s++) {
      const xs = Float64Array.from({ length: n }, () => (data.next() < truth ? 1 : 0))
      const { ci } = bootstrapMeanInterval(xs, seededRng(s, 'coverage'), 2000)
      if (ci.lo <= truth && truth <= ci.hi) covered++
    }
    const coverage = covered / 400
    expect(coverage).toBeGreaterThanOrEqual(0.93)
    expect(coverage).toBeLessThanOrEqual(0.97)
  })

  it('keeps the pairing: a constant difference has a zero-width interval', () => {
    const a = [0.2, 0.5, 0.9, 0.4, 0.7]
    const b = a.map((x) => x - 0.1)
    const [ma, mb] = pairedBootstrapMeans([a, b], seededRng(5), 500)
    const ci = differenceInterval(ma!, mb!)
    expect(ci.lo).toBeCloseTo(0.1, 12)
    expect(ci.hi).toBeCloseTo(0.1, 12)
  })
})

describe('McNemar sample size (Connor 1987)', () => {
  it("gives Connor's example: ψ 0.2, δ 0.1, α 0.05, power 0.8 → 154.6, so 155", () => {
    expect(mcnemarSampleSizeExact(0.2, 0.1)).toBeCloseTo(154.6, 1)
    expect(mcnemarSampleSize(0.2, 0.1)).toBe(155)
    expect(mcnemarSampleSize(0.2, 0.1, { power: 0.9 })).toBeGreaterThan(155)
    expect(() => mcnemarSampleSize(0.05, 0.1)).toThrow(/discordant/)
  })

  it('solves the reverse: the detectable difference for a given n', () => {
    const d = mcnemarDetectableDifference(155, { discordance: 0.2 })!
    expect(d).toBeGreaterThan(0.099)
    expect(d).toBeLessThan(0.1)
    expect(mcnemarSampleSize(0.2, d)).toBe(155)
    // With a baseline only, ψ comes from independent errors.
    expect(independentDiscordance(0.7, 0.8)).toBeCloseTo(0.38, 12)
    const d30 = mcnemarDetectableDifference(30, { baseline: 0.5 })!
    expect(d30).toBeGreaterThan(0.2)
    expect(d30).toBeLessThan(0.45)
    expect(mcnemarDetectableDifference(1, { discordance: 0.01 })).toBeNull()
  })
})
