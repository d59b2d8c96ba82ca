import { describe, expect, it } from 'vitest'
import { familyLineage } from '../../../src/main/models/family'
import { bootstrapEstimate, pearson } from '../../../src/main/review/bias'
import {
  crossValidatedPredictions,
  kFoldAssignment,
  scoreAgreement,
} from '../../../src/main/review/calibration'
import { seededRng } from '../../../src/main/stats/random'
import { calibrationLabel } from '../../../src/shared/api/calibration'

describe('model families', () => {
  it("reduce Ollama's families and model names to the lineage", () => {
    expect(['llama', 'qwen2', 'qwen3', 'gemma3', 'phi3'].map(familyLineage)).toEqual([
      'llama',
      'qwen',
      'qwen',
      'gemma',
      'phi',
    ])
    expect(familyLineage('llama3.1:8b')).toBe('llama')
    expect(familyLineage('meta-llama/Llama-3.3-70B-Instruct')).toBe('llama')
    expect(familyLineage('hf.co/bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M')).toBe('qwen')
    expect(familyLineage('gpt-4o')).toBe('gpt')
  })
})

describe('bias statistics', () => {
  it("Pearson's r: a textbook case, and undefined without spread", () => {
    // x = 1..5, y = 2, 4, 5, 4, 5: r = 6 / sqrt(10 · 6) = 0.7746
    expect(pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])).toBeCloseTo(6 / Math.sqrt(60), 12)
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12)
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull()
    expect(pearson([1, 2], [1, 2])).toBeNull()
  })

  it('bootstrap intervals are seeded, contain the estimate and are null when undefined', () => {
    const xs = [0.5, -1, 2, 0, 1.5, -0.5, 1, 0.25, 0.75, -0.25]
    const m = (ys: readonly number[]) => ys.reduce((a, b) => a + b, 0) / ys.length
    const a = bootstrapEstimate(xs, m, seededRng(7, 't'))!
    const b = bootstrapEstimate(xs, m, seededRng(7, 't'))!
    expect(a).toEqual(b)
    expect(a.value).toBeCloseTo(0.425, 12)
    expect(a.ci95![0]).toBeLessThan(a.value)
    expect(a.ci95![1]).toBeGreaterThan(a.value)
    expect(bootstrapEstimate(xs, () => null, seededRng(7, 't'))).toBeNull()
  })
})

describe('calibration statistics', () => {
  it('k folds: every item once, sizes within one, the same for the same seed', () => {
    const f = kFoldAssignment(32, 5, 1)
    const sizes = [0, 1, 2, 3, 4].map((k) => f.filter((x) => x === k).length)
    expect(sizes.sort()).toEqual([6, 6, 6, 7, 7])
    expect(kFoldAssignment(32, 5, 1)).toEqual(f)
    expect(kFoldAssignment(32, 5, 2)).not.toEqual(f)
    expect(() => kFoldAssignment(3, 5, 0)).toThrow(/2 ≤ k ≤ n/)
  })

  it('held-out predictions come from maps fitted without the item', () => {
    // A perfect monotone relation y = x + 1 on distinct x: a held-out item inside the training
    // range is interpolated exactly; beyond it, held at the nearest fitted value (never exact).
    const points = Array.from({ length: 30 }, (_, i) => ({ jury: 1 + i / 10, clinicians: 2 + i / 10 }))
    const fold = kFoldAssignment(30, 5, 0)
    const pred = crossValidatedPredictions(points, 5, 0)
    pred.forEach((p, i) => {
      const train = points.filter((_, j) => fold[j] !== fold[i]).map((q) => q.jury)
      const inside = points[i]!.jury >= Math.min(...train) && points[i]!.jury <= Math.max(...train)
      if (inside) expect(p).toBeCloseTo(points[i]!.clinicians, 12)
      else
        expect(p).toBeCloseTo(
          points[i]!.jury < Math.min(...train) ? 2 + Math.min(...train) - 1 : 1 + Math.max(...train),
          12,
        )
    })
  })

  it('agreement: mean difference, MAE, RMSE and both ICCs, or why an ICC is missing', () => {
    const a = scoreAgreement([1, 2, 3, 4], [2, 2, 4, 4])
    expect(a.meanDifference).toBeCloseTo(-0.5, 12)
    expect(a.meanAbsError).toBeCloseTo(0.5, 12)
    expect(a.rmse).toBeCloseTo(Math.sqrt(0.5), 12)
    expect(a.iccAbsolute!.value).toBeGreaterThan(0)
    expect(a.iccConsistency).not.toBeNull()
    const flat = scoreAgreement([3, 3, 3, 3], [2, 2, 4, 4])
    expect(flat.iccConsistency).toBeNull()
    expect(flat.note).toMatch(/consistency ICC: the score gave every one of these 4 items the same score/)
  })

  it('labels say how many clinician ratings from which sets', () => {
    expect(calibrationLabel(42, [1, 2])).toBe('calibrated to 42 clinician ratings (sets 1, 2)')
    expect(calibrationLabel(30, [3])).toBe('calibrated to 30 clinician ratings (set 3)')
  })
})
