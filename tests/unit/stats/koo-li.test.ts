import { describe, expect, it } from 'vitest'
import { kooLiBand, kooLiLabel } from '../../../src/main/stats/koo-li'

describe('Koo & Li (2016) labels', () => {
  it('bands: < 0.5 poor, 0.5–0.75 moderate, 0.75–0.9 good, > 0.9 excellent', () => {
    expect([-0.2, 0.49, 0.5, 0.74, 0.75, 0.9, 0.91].map(kooLiBand)).toEqual([
      'poor',
      'poor',
      'moderate',
      'moderate',
      'good',
      'good',
      'excellent',
    ])
  })

  it('judges the whole interval, not the point estimate', () => {
    expect(kooLiLabel(0.7, [0.6, 0.8]).label).toBe('moderate to good')
    expect(kooLiLabel(0.8, [0.76, 0.88]).label).toBe('good')
    // A point estimate of 0.91 with an interval reaching down to 0.68 is not "excellent".
    expect(kooLiLabel(0.91, [0.68, 0.99]).label).toBe('moderate to excellent')
    expect(kooLiLabel(0.6, null)).toMatchObject({
      label: 'moderate (estimate only, no interval)',
      pointOnly: true,
    })
  })
})
