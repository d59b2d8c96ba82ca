import { beforeAll, describe, expect, it } from 'vitest'
import { prepareSvg } from '../../../src/main/report/pdf/chart'
import { renderPdf } from '../../../src/main/report/pdf/render-pdf'
import type { ReportDoc } from '../../../src/main/report/doc'
import { costScatter, renderSvg } from '../../support/recharts-svg'
import { chartBlock } from './pdf-fixture'
import { countColour, pdfFile, pdfText, renderPage } from './pdf-tools'

/**
 * A chart as the report gets it — recharts rendered in jsdom, with class and inline style
 * attributes — comes out of the PDF as vectors with its colours and its text.
 */
const POINTS = [
  { model: 'llama3.1:8b', cost: 0.4, winRate: 0.42 },
  { model: 'qwen2.5-7b', cost: 0.9, winRate: 0.61 },
  { model: 'mistral-nemo', cost: 1.6, winRate: 0.58 },
  { model: 'gpt-oss-20b κ', cost: 2.2, winRate: 0.77 },
  { model: 'R&D <v2>', cost: 2.8, winRate: 0.3 },
]

let svg = ''
let file = ''

beforeAll(async () => {
  svg = await renderSvg(costScatter(POINTS))
  const doc: ReportDoc = {
    title: 'Chart check',
    subtitle: 'One chart',
    generatedAt: '2026-12-05T00:00:00Z',
    appVersion: '0.1.0',
    sections: [{ id: 'cost', title: 'Cost and performance', blocks: [chartBlock(svg)] }],
  }
  file = pdfFile(await renderPdf(doc))
})

describe('PDF charts from recharts SVG', () => {
  it('uses a realistic recharts SVG (classes, inline styles, tspans)', () => {
    expect(svg).toMatch(/class="recharts-surface"/)
    expect(svg).toMatch(/style="fill: #666;"/)
    expect(svg).toContain('<tspan')
  })

  it('keeps the chart text: ticks, axis titles, point labels (non-ASCII too)', () => {
    const text = pdfText(file, { first: 3, last: 3 })
    for (const s of [
      'Cost per 1,000 answers (USD) →',
      'Mean win rate',
      '0.25',
      'qwen2.5-7b',
      'gpt-oss-20b κ',
    ])
      expect(text).toContain(s)
    expect(text).toContain('Cost against mean win rate')
    expect(text).toContain('Each dot is a model')
  })

  it('draws the fills and strokes in their colours', () => {
    const page = renderPage(file, 3, 100)
    expect(countColour(page, '#0b6e79', 30)).toBeGreaterThan(40) // the points
    expect(countColour(page, '#b45309', 30)).toBeGreaterThan(40) // the frontier line
    expect(countColour(page, '#c9d3d6', 12)).toBeGreaterThan(40) // the grid
  })

  it('gives the SVG a viewBox, a font size and no CSS variables before drawing', () => {
    const prepared = prepareSvg({
      ...chartBlock('<svg width="600" height="320"><rect fill="var(--accent, #0b6e79)"/></svg>'),
    })
    expect(prepared).toContain('viewBox="0 0 600 320"')
    expect(prepared).toContain('font-size="12"')
    expect(prepared).toContain('fill="#0b6e79"')
  })

  it('fails, naming the chart, when its SVG cannot be read (never a silent blank)', async () => {
    const doc: ReportDoc = {
      title: 'Broken chart',
      subtitle: '',
      generatedAt: '2026-12-05T00:00:00Z',
      appVersion: '0.1.0',
      sections: [{ id: 'cost', title: 'Cost', blocks: [chartBlock('<svg width="10"><g></svg>')] }],
    }
    await expect(renderPdf(doc)).rejects.toThrow(/Cost against mean win rate.*could not be drawn/)
  })

  it('fails, naming the chart, when it has no size', async () => {
    const doc: ReportDoc = {
      title: 'Sizeless chart',
      subtitle: '',
      generatedAt: '2026-12-05T00:00:00Z',
      appVersion: '0.1.0',
      sections: [{ id: 'cost', title: 'Cost', blocks: [chartBlock(svg, 0, 320)] }],
    }
    await expect(renderPdf(doc)).rejects.toThrow(/Cost against mean win rate.*no size/)
  })
})
