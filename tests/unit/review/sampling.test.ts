import { describe, expect, it } from 'vitest'
import { reviewerOrder } from '../../../src/main/review/order'
import { stratifiedSample, type Candidate } from '../../../src/main/review/sample'

function candidates(perModel: Record<string, number>): Candidate[] {
  let id = 1
  return Object.entries(perModel).flatMap(([modelKey, n]) =>
    Array.from({ length: n }, () => ({ runItemId: id++, modelKey })),
  )
}

const countBy = (xs: Candidate[]) =>
  xs.reduce<Record<string, number>>((a, x) => ({ ...a, [x.modelKey]: (a[x.modelKey] ?? 0) + 1 }), {})

describe('review set sampling', () => {
  const pool = candidates({ 'ollama/a': 40, 'ollama/b': 40, 'lab/c': 40 })

  it('is reproducible: the same candidates, size and seed give the same set', () => {
    const one = stratifiedSample(pool, 20, 7, 'bench')
    expect(stratifiedSample(pool, 20, 7, 'bench')).toEqual(one)
    expect(stratifiedSample(pool, 20, 8, 'bench')).not.toEqual(one)
    expect(stratifiedSample(pool, 20, 7, 'other_bench')).not.toEqual(one)
    expect(new Set(one.map((c) => c.runItemId)).size).toBe(20)
  })

  it('is stratified: each model gets ⌊N/m⌋ or ⌈N/m⌉ items', () => {
    for (const size of [1, 2, 3, 20, 61, 120]) {
      const counts = Object.values(countBy(stratifiedSample(pool, size, 3, 'bench')))
      expect(counts.reduce((a, b) => a + b, 0)).toBe(size)
      expect(Math.max(...counts) - Math.min(...(counts.length === 3 ? counts : [0]))).toBeLessThanOrEqual(1)
    }
  })

  it('gives a model with few outputs all it has and shares the rest among the others', () => {
    const uneven = candidates({ 'ollama/a': 2, 'ollama/b': 30, 'ollama/c': 30 })
    expect(countBy(stratifiedSample(uneven, 20, 1, 'bench'))).toEqual({
      'ollama/a': 2,
      'ollama/b': 9,
      'ollama/c': 9,
    })
    expect(stratifiedSample(uneven, 62, 1, 'bench')).toHaveLength(62)
    expect(() => stratifiedSample(uneven, 63, 1, 'bench')).toThrow(/63 exceeds the 62 outputs/)
  })

  it('spreads the remainder with the seed, not always to the same model', () => {
    const firsts = new Set<string>()
    for (let seed = 0; seed < 20; seed++) {
      const counts = countBy(stratifiedSample(pool, 4, seed, 'bench'))
      firsts.add(Object.entries(counts).find(([, n]) => n === 2)?.[0] as string)
    }
    expect(firsts.size).toBeGreaterThan(1)
  })
})

describe('a reviewer’s order', () => {
  const set = stratifiedSample(candidates({ 'ollama/a': 30, 'ollama/b': 30, 'ollama/c': 30 }), 15, 5, 'bench')

  it('is a permutation of the set, stable per reviewer and different between reviewers', () => {
    const one = reviewerOrder(set, 5, 1, 1)
    expect([...one].sort((x, y) => x.runItemId - y.runItemId)).toEqual(
      [...set].sort((x, y) => x.runItemId - y.runItemId),
    )
    expect(reviewerOrder(set, 5, 1, 1)).toEqual(one)
    expect(reviewerOrder(set, 5, 1, 2).map((c) => c.runItemId)).not.toEqual(one.map((c) => c.runItemId))
  })

  it('interleaves the models: every run of 3 has each model once, never the same model twice in a row', () => {
    for (let reviewer = 1; reviewer <= 10; reviewer++) {
      const order = reviewerOrder(set, 5, 1, reviewer)
      for (let i = 0; i + 3 <= order.length; i += 3)
        expect(new Set(order.slice(i, i + 3).map((c) => c.modelKey)).size).toBe(3)
      for (let i = 1; i < order.length; i++) expect(order[i]!.modelKey).not.toBe(order[i - 1]!.modelKey)
    }
  })

  it('does not keep the canonical (by model) order', () => {
    const order = reviewerOrder(set, 5, 1, 1)
    expect(order.map((c) => c.runItemId)).not.toEqual(set.map((c) => c.runItemId))
  })
})
