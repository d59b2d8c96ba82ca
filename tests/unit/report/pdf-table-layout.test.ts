import { describe, expect, it } from 'vitest'
import { numericColumn } from '../../../src/main/report/pdf/table-cells'
import {
  fitColumns,
  planTable,
  type TableAttempt,
  type TableColumnSpec,
} from '../../../src/main/report/pdf/table-layout'

/** Every character 0.5 em wide: widths are easy to reason about. */
const measure = (text: string, size: number) => [...text].length * size * 0.5

const ATTEMPTS: TableAttempt[] = [
  { layout: 'portrait', size: 9, width: 480 },
  { layout: 'portrait', size: 7.5, width: 480 },
  { layout: 'landscape', size: 7.5, width: 730 },
]

const col = (label: string, cells: string[], align: 'left' | 'right' = 'left'): TableColumnSpec => ({
  label,
  align,
  cells,
})

describe('fitColumns', () => {
  it('gives natural widths when they fit, null when the minimums do not', () => {
    expect(
      fitColumns(
        [
          { min: 10, max: 50 },
          { min: 20, max: 40 },
        ],
        100,
      ),
    ).toEqual([50, 40])
    expect(
      fitColumns(
        [
          { min: 60, max: 90 },
          { min: 60, max: 90 },
        ],
        100,
      ),
    ).toBeNull()
  })

  it('lets short columns reach their natural width before long text takes the rest', () => {
    const widths = fitColumns(
      [
        { min: 40, max: 60 },
        { min: 50, max: 600 },
      ],
      300,
    )!
    expect(widths[0]).toBe(60)
    expect(widths[1]).toBe(240)
    expect(widths.reduce((a, b) => a + b)).toBeCloseTo(300)
  })
})

describe('planTable', () => {
  it('keeps a small table on a portrait page at the body size', () => {
    const plan = planTable(
      [col('Model', ['a', 'b']), col('Score', ['0.71 (0.65–0.77)'], 'right')],
      ATTEMPTS,
      measure,
    )
    expect(plan).toMatchObject({ layout: 'portrait', size: 9, groups: [[0, 1]] })
  })

  it('wraps long prose in a column rather than leaving the page', () => {
    const plan = planTable(
      [col('Id', ['inst-0001']), col('Comment', ['word '.repeat(400)])],
      ATTEMPTS,
      measure,
    )
    expect(plan.layout).toBe('portrait')
    expect(plan.widths[0]!.reduce((a, b) => a + b)).toBeLessThanOrEqual(480)
  })

  it('splits 20 interval columns into even landscape groups, each led by the first column, none wrapping', () => {
    const models = Array.from({ length: 20 }, (_, i) => col(`model-${i}`, ['0.71 (0.65–0.77)'], 'right'))
    const plan = planTable([col('Benchmark', ['MedCalc-Bench']), ...models], ATTEMPTS, measure)
    expect(plan.layout).toBe('landscape')
    expect(plan.groups.length).toBeGreaterThan(1)
    const seen = plan.groups.flatMap((g) => g.slice(1))
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    for (const [g, group] of plan.groups.entries()) {
      expect(group[0]).toBe(0)
      expect(plan.widths[g]!.reduce((a, b) => a + b)).toBeLessThanOrEqual(730)
      // Numbers never wrap: every interval column gets at least its text's width.
      for (const w of plan.widths[g]!.slice(1))
        expect(w).toBeGreaterThanOrEqual(measure('0.71 (0.65–0.77)', 7.5))
    }
    const sizes = plan.groups.map((g) => g.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
  })
})

describe('numericColumn', () => {
  it('recognizes numbers, intervals, prices and placeholders', () => {
    expect(numericColumn(['0.71 (0.65–0.77)', '—', '1,024', '−0.03', '$1.20', '12%', ''])).toBe(true)
    expect(numericColumn(['3 [1–5]'])).toBe(true)
    expect(numericColumn(['llama3', '0.5'])).toBe(false)
    expect(numericColumn(['', '—'])).toBe(false)
  })
})
