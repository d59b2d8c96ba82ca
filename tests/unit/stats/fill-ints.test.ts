import { describe, expect, it } from 'vitest'
import { seededRng } from '../../../src/main/stats/random'

describe('seededRng.fillInts', () => {
  it('draws exactly what int() draws, one after another', () => {
    const a = seededRng(5, 'x')
    const b = seededRng(5, 'x')
    const out = new Int32Array(1000)
    a.fillInts(out, 1000, 37)
    expect(Array.from(out)).toEqual(Array.from({ length: 1000 }, () => b.int(37)))
    expect(a.nextU32()).toBe(b.nextU32())
  })
})
