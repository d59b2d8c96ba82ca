import { describe, expect, it } from 'vitest'
import { destinationLabel, MAX_NAME } from '../../../src/shared/charts/audit-data'
import { byteAxis, byteTick, dataAxis } from '../../../src/shared/charts/axis'
import { costPoints } from '../../../src/shared/charts/cost-points'
import { cartesianFrame, legendLayout } from '../../../src/shared/charts/frame'
import { placeLabels } from '../../../src/shared/charts/label-layout'
import { paretoFrontier } from '../../../src/shared/charts/pareto'
import { textWidth, truncateText } from '../../../src/shared/charts/text'
import { leaderboard, MODELS } from './fixtures'

/** The chart layout, computed without a browser: the same on the screen and in the report. */

describe('axes scaled to the data', () => {
  it('uses a log axis when values span more than two orders of magnitude, labelled per power of ten', () => {
    const a = dataAxis([0.002, 0.5, 12.3])
    expect(a.kind).toBe('log')
    expect(a.domain).toEqual([0.001, 100])
    expect(a.ticks).toEqual([0.001, 0.01, 0.1, 1, 10, 100])
  })

  it('pads a linear axis to round ticks, from 0 for amounts', () => {
    expect(dataAxis([0.16, 0.3])).toEqual({
      kind: 'linear',
      domain: [0.1, 0.35],
      ticks: [0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
    })
    expect(dataAxis([0.16, 0.3], { zeroBased: true })).toEqual({
      kind: 'linear',
      domain: [0, 0.4],
      ticks: [0, 0.1, 0.2, 0.3, 0.4],
    })
    // One value: a range around it; nothing: 0–1.
    expect(dataAxis([5]).domain[0]).toBeLessThan(5)
    expect(dataAxis([]).domain).toEqual([0, 1])
  })

  it('puts 1 KB and 100 MB on one byte axis, starting below the smallest so its bar shows', () => {
    const a = byteAxis([1024, 100 * 1024 * 1024, 0])
    expect(a.kind).toBe('log')
    expect(a.domain[0]).toBeLessThan(1024)
    expect(a.domain[1]).toBeGreaterThan(100 * 1024 * 1024)
    const labels = a.ticks.map(byteTick)
    expect(labels).toEqual(expect.arrayContaining(['1 KB', '1 MB', '100 MB']))
    expect(labels.length).toBeLessThanOrEqual(8)
    expect(byteTick(1)).toBe('1 B')
    expect(byteTick(10 * 1024)).toBe('10 KB')
  })
})

describe('Pareto frontier', () => {
  it('keeps the models no other is both cheaper and better than, cheapest first', () => {
    const pts = [
      { k: 'a', x: 1, y: 0.4 },
      { k: 'b', x: 2, y: 0.3 }, // dominated by a
      { k: 'c', x: 3, y: 0.7 },
      { k: 'd', x: 3, y: 0.6 }, // same cost as c, worse
      { k: 'e', x: 10, y: 0.9 },
      { k: 'f', x: 12, y: 0.9 }, // as good as e, dearer
    ]
    expect(
      paretoFrontier(
        pts,
        (p) => p.x,
        (p) => p.y,
      ).map((p) => p.k),
    ).toEqual(['a', 'c', 'e'])
    expect(
      paretoFrontier(
        [],
        () => 0,
        () => 0,
      ),
    ).toEqual([])
  })

  it('takes the leaderboard’s cost per 1,000 answers, model and jury apart', () => {
    const { points, unplotted } = costPoints(
      leaderboard([
        ...MODELS,
        { model: 'ollama/unpriced', winRate: 0.3, modelUsd: null, juryUsd: 0, runtimeMs: null },
      ]),
      'cost',
    )
    const gpt = points.find((p) => p.modelKey === 'openai/gpt-4o')!
    expect(gpt.modelUsd).toBeCloseTo(12, 10)
    expect(gpt.juryUsd).toBeCloseTo(0.3, 10)
    expect(gpt.x).toBeCloseTo(12.3, 10)
    expect(unplotted).toEqual([
      { modelKey: 'ollama/unpriced', reason: expect.stringMatching(/^cost unknown/) },
    ])
  })
})

describe('labels', () => {
  it('measures with Helvetica widths and cuts long names with an ellipsis', () => {
    expect(textWidth('Mi', 10)).toBeCloseTo(10.55, 5) // M 833 + i 222
    const cut = truncateText('ollama/llama3.1:70b-instruct-q4_K_M', 100, 12)
    expect(cut.endsWith('…')).toBe(true)
    expect(textWidth(cut, 12)).toBeLessThanOrEqual(100)
    expect(truncateText('short', 100, 12)).toBe('short')
  })

  it('cuts a long destination’s host, never its port', () => {
    expect(destinationLabel({ host: '127.0.0.1', port: 11434 })).toBe('127.0.0.1:11434')
    expect(destinationLabel({ host: '::1', port: 11434 })).toBe('[::1]:11434')
    const long = destinationLabel({
      host: 'inference-gateway.radiology.hospital-network.example.org',
      port: 8000,
    })
    expect(long).toMatch(/^inference-gateway\..*…:8000$/)
    expect(textWidth(long, 12)).toBeLessThanOrEqual(MAX_NAME)
  })

  it('places point names without overlap, inside the plot', () => {
    const area = { left: 0, top: 0, right: 300, bottom: 200 }
    const reqs = [
      { x: 100, y: 100, width: 80, height: 14 },
      { x: 102, y: 104, width: 80, height: 14 },
      { x: 104, y: 98, width: 80, height: 14 },
      { x: 295, y: 10, width: 80, height: 14 },
    ]
    const placed = placeLabels(reqs, area)
    const boxes = placed.map((p, i) => {
      const w = reqs[i]!.width
      const left = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - w : p.x - w / 2
      return { left, right: left + w, top: p.y - 7, bottom: p.y + 7 }
    })
    for (const b of boxes) {
      expect(b.left).toBeGreaterThanOrEqual(0)
      expect(b.right).toBeLessThanOrEqual(300)
      expect(b.top).toBeGreaterThanOrEqual(0)
    }
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom).toBe(false)
    // Near the right edge the name goes to the left of its point.
    expect(placed[3]!.anchor).not.toBe('start')
  })

  it('leaves room for the widest tick label and half the last x label', () => {
    const f = cartesianFrame({
      width: 600,
      height: 400,
      yTicks: ['0.00', '1.00'],
      xTicks: ['$0', '$1,000'],
      legendHeight: 20,
    })
    expect(f.margin.right).toBeGreaterThanOrEqual(textWidth('$1,000', 12) / 2)
    expect(f.plot.left).toBe(f.margin.left + f.yAxisWidth)
    expect(f.yAxisWidth).toBeGreaterThan(textWidth('1.00', 12))
    const legend = legendLayout(
      [
        { label: 'A long legend entry number one', color: '#000', swatch: 'dot' },
        { label: 'A long legend entry number two', color: '#000', swatch: 'dot' },
      ],
      8,
      250,
    )
    expect(legend.items[1]!.y).toBeGreaterThan(legend.items[0]!.y) // wrapped to a second row
    expect(legend.height).toBeGreaterThan(30)
  })
})
