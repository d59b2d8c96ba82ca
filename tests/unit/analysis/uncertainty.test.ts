import { describe, expect, it } from 'vitest'
import { meanAndSd } from '../../../src/main/analysis/macro-average'
import { pairColumn, type ScoreMatrix } from '../../../src/main/analysis/score-matrix'
import { parallelCellMeans } from '../../../src/main/analysis/bootstrap-parallel'
import {
  aggregator,
  bootstrapSteps,
  columnMeans,
  rankSummaries,
  runSteps,
  runStepsAsync,
} from '../../../src/main/analysis/uncertainty'
import { sourceWorkerScripts } from '../../../src/main/app/worker-scripts'
import { aggregateWinRates } from '../../../src/main/analysis/win-rate'
import { seededRng } from '../../../src/main/stats/random'

describe('pairing on common instances', () => {
  it('keeps the instances every model has, reports what each drops, hashes the instance set', () => {
    const a = {
      modelKey: 'a',
      scores: new Map([
        ['1', 1],
        ['2', 0],
        ['3', 1],
      ]),
    }
    const b = {
      modelKey: 'b',
      scores: new Map([
        ['3', 0],
        ['1', 1],
      ]),
    }
    const p = pairColumn([a, b], true)
    expect(p.common).toBe(2)
    expect(p.mixed).toBe(true)
    expect(p.binary).toBe(true)
    expect(p.series.map((s) => [s.modelKey, Array.from(s.values), s.dropped])).toEqual([
      ['a', [1, 1], 1],
      ['b', [1, 0], 0],
    ])
    expect(p.series[0]!.hash).toBe(p.series[1]!.hash)
    const u = pairColumn([a, b], false)
    expect(u.common).toBeNull()
    expect(u.series[0]!.values).toHaveLength(3)
    expect(u.series[0]!.hash).not.toBe(u.series[1]!.hash)
    expect(pairColumn([a, { modelKey: 'c', scores: new Map([['1', 2.5]]) }], true).binary).toBe(false)
  })
})

function randomMatrix(seed: number): { matrix: ScoreMatrix; means: Float64Array[] } {
  const rng = seededRng(seed, 'matrix')
  const models = ['m0', 'm1', 'm2', 'm3', 'm4']
  const columns = Array.from({ length: 7 }, (_, c) => {
    const present = models.map((_, m) => m).filter(() => c === 0 || rng.next() < 0.8)
    const jury = c % 3 === 0
    return {
      key: `c${c}`,
      models: present,
      values: present.map(() =>
        Float64Array.from({ length: 8 }, () =>
          jury ? 1 + Math.floor(rng.next() * 5) : rng.next() < 0.5 ? 1 : 0,
        ),
      ),
      paired: true,
      rescale: jury,
      binary: !jury,
      group: `g${c % 2}`,
    }
  })
  const means = columns.map((col) =>
    Float64Array.from(col.values, (v) => v.reduce((s, x) => s + x, 0) / v.length),
  )
  return { matrix: { models, columns }, means }
}

describe('the bootstrap aggregator', () => {
  it("agrees with HELM's win rate (win-rate.ts) and the macro-averages, ties and missing cells included", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { matrix, means } = randomMatrix(seed)
      const agg = aggregator(matrix)(means)
      const slots = matrix.columns.map((col, c) =>
        matrix.models.map((_, m) => {
          const k = col.models.indexOf(m)
          return k < 0 ? null : means[c]![k]!
        }),
      )
      const wins = aggregateWinRates(
        matrix.models.length,
        slots.map((values) => ({ lowerIsBetter: false, values })),
      )
      matrix.models.forEach((_, m) => {
        expect(agg.winRate[m]).toBeCloseTo(wins[m]!.winRate ?? NaN, 12)
        const norm = slots.map((vals, c) =>
          vals[m] === null ? null : matrix.columns[c]!.rescale ? (vals[m]! - 1) / 4 : vals[m]!,
        )
        expect(agg.macro[m]).toBeCloseTo(meanAndSd(norm).mean!, 12)
      })
      const order = [...agg.rank]
      expect(Math.min(...order)).toBe(1)
    }
  })

  it('gives seeded intervals that contain the point estimates, and rank intervals', () => {
    const { matrix } = randomMatrix(9)
    const one = runSteps(bootstrapSteps(matrix, { resamples: 300, seed: 11 }))
    const two = runSteps(bootstrapSteps(matrix, { resamples: 300, seed: 11, chunk: 7 }))
    expect(Array.from(one.winRate[0]!)).toEqual(Array.from(two.winRate[0]!))
    expect(Array.from(one.cellMeans[3]![0]!)).toEqual(Array.from(two.cellMeans[3]![0]!))
    const ranks = rankSummaries(one.rank)
    for (const r of ranks) {
      expect(r.lo).toBeGreaterThanOrEqual(1)
      expect(r.hi).toBeLessThanOrEqual(5)
      expect(r.lo).toBeLessThanOrEqual(r.hi)
    }
  })

  it('on worker threads gives the same resamples as on one thread, with progress', async () => {
    const { matrix } = randomMatrix(4)
    const seen: number[] = []
    const cellMeans = await parallelCellMeans(
      matrix,
      { seed: 3, resamples: 200, script: sourceWorkerScripts().bootstrap!, threads: 2 },
      (done) => seen.push(done),
    )
    expect(seen).toHaveLength(matrix.columns.length)
    matrix.columns.forEach((col, c) =>
      expect(cellMeans[c]!.map((a) => Array.from(a))).toEqual(
        columnMeans(col, 3, 200).map((a) => Array.from(a)),
      ),
    )
    const progress: number[] = []
    const viaWorkers = await runStepsAsync(
      bootstrapSteps(matrix, { resamples: 200, seed: 3, cellMeans, chunk: 20 }),
      (d) => progress.push(d),
    )
    const direct = runSteps(bootstrapSteps(matrix, { resamples: 200, seed: 3 }))
    expect(Array.from(viaWorkers.rank[2]!)).toEqual(Array.from(direct.rank[2]!))
    expect(progress.length).toBeGreaterThan(3)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
  }, 30_000)

  it('tie groups: overlapping rank intervals, chained, share a group', () => {
    const fixed = (xs: number[]) => Float64Array.from({ length: 100 }, (_, i) => xs[i % xs.length]!)
    const s = rankSummaries([fixed([1]), fixed([2, 3]), fixed([3, 4]), fixed([5])])
    expect(s.map((x) => [x.lo, x.hi, x.tieGroup])).toEqual([
      [1, 1, 1],
      [2, 3, 2],
      [3, 4, 2],
      [5, 5, 3],
    ])
    expect(s[1]!.notSeparableFrom).toEqual([2])
  })
})
