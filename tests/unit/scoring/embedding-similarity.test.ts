import { describe, expect, it } from 'vitest'
import { cosineSimilarity, greedyMatchScore } from '../../../src/main/scoring/embedding-similarity'

describe('cosine similarity', () => {
  it('is 1 for parallel, 0 for orthogonal, -1 for opposite vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12)
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0)
    expect(cosineSimilarity([1, 1], [-1, -1])).toBeCloseTo(-1, 12)
    expect(cosineSimilarity([3, 4], [4, 3])).toBeCloseTo(24 / 25, 12)
  })
  it('is null for zero vectors or different sizes', () => {
    expect(cosineSimilarity([0, 0], [1, 1])).toBeNull()
    expect(cosineSimilarity([1], [1, 1])).toBeNull()
  })
})

describe('BERTScore-style greedy matching', () => {
  it('computes P, R, F by greedy max-cosine matching (worked example)', () => {
    // candidate units c1=(1,0), c2=(0,1); reference units r1=(1,0), r2=(1,1)/√2·… , r3=(−1,0)
    const c = [
      [1, 0],
      [0, 1],
    ]
    const r = [
      [1, 0],
      [1, 1],
      [-1, 0],
    ]
    // sim(c1,·) = [1, 0.7071, -1]; sim(c2,·) = [0, 0.7071, 0]
    // P = (1 + 0.7071) / 2; R = (max(1,0) + max(0.7071,0.7071) + max(-1,0)) / 3 = (1 + 0.7071 + 0) / 3
    const s = Math.SQRT1_2
    const out = greedyMatchScore({ candidate: c, reference: r })
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.details.precision).toBeCloseTo((1 + s) / 2, 12)
    expect(out.details.recall).toBeCloseTo((1 + s) / 3, 12)
    const p = (1 + s) / 2
    const rr = (1 + s) / 3
    expect(out.value).toBeCloseTo((2 * p * rr) / (p + rr), 12)
  })

  it('identical embeddings score 1; weights (idf) change the averages', () => {
    const v = [
      [0.2, 0.1, 0.7],
      [0.9, 0.3, 0.1],
    ]
    expect(greedyMatchScore({ candidate: v, reference: v })).toMatchObject({ ok: true })
    const same = greedyMatchScore({ candidate: v, reference: v })
    expect(same.ok && same.value).toBeCloseTo(1, 12)
    const weighted = greedyMatchScore({
      candidate: [
        [1, 0],
        [0, 1],
      ],
      reference: [[1, 0]],
      candidateWeights: [3, 1],
    })
    // P = (3·1 + 1·0) / 4 = 0.75, R = 1
    expect(weighted.ok && weighted.details.precision).toBeCloseTo(0.75, 12)
  })

  it('rejects empty sets, mixed sizes, zero vectors and bad weights', () => {
    expect(greedyMatchScore({ candidate: [], reference: [[1]] })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    })
    expect(greedyMatchScore({ candidate: [[1, 2]], reference: [[1]] })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    })
    expect(greedyMatchScore({ candidate: [[0, 0]], reference: [[1, 1]] })).toMatchObject({
      ok: false,
      code: 'invalid_input',
    })
    expect(greedyMatchScore({ candidate: [[1, Number.NaN]], reference: [[1, 1]] })).toMatchObject({
      ok: false,
    })
    expect(greedyMatchScore({ candidate: [[1]], reference: [[1]], candidateWeights: [1, 2] })).toMatchObject({
      ok: false,
    })
  })
})
