import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { reportCharts, type ReportCharts } from '../../../src/main/report/charts'
import { textWidth } from '../../../src/shared/charts/text'
import { AUDIT, agreement, leaderboard, MODELS } from '../charts/fixtures'

/**
 * The report's charts are the app's chart components rendered to SVG in a worker thread: each is
 * self-contained (no script, no external reference), titled, with axis titles and units, and the
 * same input gives the same bytes.
 */

/** The electron-vite build's worker (npm run build), when there is one. */
const BUILT = join(__dirname, '../../../out/main/chart-worker.js')

const input = () => ({ leaderboard: leaderboard(MODELS), audit: AUDIT, agreements: [agreement(3)] })
let charts: ReportCharts

beforeAll(async () => {
  charts = await reportCharts(input())
}, 120_000)

const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''))
const blocks = () => [charts.costPerformance!, charts.runtime!, charts.auditVolume!, ...charts.agreement]

describe('reportCharts', () => {
  it('draws every chart as a titled, self-contained SVG', () => {
    expect(charts.agreement).toHaveLength(1)
    for (const b of blocks()) {
      expect(b.kind).toBe('chart')
      expect(b.svg.startsWith('<svg')).toBe(true)
      expect(b.svg).toContain('xmlns="http://www.w3.org/2000/svg"')
      expect(b.svg).toContain('role="img"')
      expect(b.svg).toContain(`>${b.title.replace(/&/g, '&amp;').replace(/’/g, '’')}</title>`)
      expect(b.svg).toContain(`width="${b.width}"`)
      expect(b.caption.length).toBeGreaterThan(40)
      // Nothing that runs or loads.
      expect(b.svg).not.toMatch(/<script|<foreignObject|<image|<use\b|\son\w+=/i)
      expect(b.svg).not.toMatch(/(href|src)="(?!#)/i)
      expect(b.svg).not.toMatch(/url\(\s*['"]?(?!#)/i)
      expect(b.svg).not.toMatch(/\sclass=|\sstyle=/)
    }
  })

  it('puts axis titles with units on every chart', () => {
    expect(texts(charts.costPerformance!.svg)).toEqual(
      expect.arrayContaining([
        'Cost per 1,000 answers (USD), log scale — further left is cheaper',
        'Mean win rate (0–1, higher is better)',
      ]),
    )
    expect(texts(charts.runtime!.svg)).toContain('Mean time per answer (seconds) — further left is faster')
    expect(texts(charts.auditVolume!.svg)).toContain(
      'Bytes per destination, log scale (each step ×10 or ×1024)',
    )
    expect(texts(charts.agreement[0]!.svg)).toEqual(
      expect.arrayContaining(['Jury score (mean of criteria, 1–5 points)', 'Clinicians’ score (1–5 points)']),
    )
  })

  it('draws one mark per model, names them, and the Pareto frontier', () => {
    const marks = (svg: string) => [...svg.matchAll(/<path fill="#0b6e79"[^>]*transform="translate/g)].length
    expect(marks(charts.runtime!.svg)).toBe(MODELS.length)
    // Cost: one filled mark (model + jury) per model; the open one (model alone) is white-filled.
    expect(marks(charts.costPerformance!.svg)).toBe(MODELS.length)
    expect([...charts.costPerformance!.svg.matchAll(/<path fill="#ffffff" stroke="#0b6e79"/g)]).toHaveLength(
      MODELS.length,
    )
    const labels = texts(charts.costPerformance!.svg)
    for (const m of ['ollama/beta', 'openai/gpt-4o', 'ollama/gamma', 'ollama/delta'])
      expect(labels).toContain(m)
    // The long name is cut, with the whole name in its <title>.
    expect(labels.some((t) => t.startsWith('ollama/llama3.1:70b') && t.endsWith('…'))).toBe(true)
    expect(charts.costPerformance!.svg).toContain(`<title>${MODELS[0]!.model}</title>`)
    const frontier = charts.costPerformance!.svg.match(/<path data-series="pareto-frontier" d="([^"]+)"/)
    expect(frontier?.[1]).toMatch(/^M[\d.]+,[\d.]+(H[\d.]+V[\d.]+)+$/)
    // gamma → delta → beta → llama → gpt-4o are all on it: four steps.
    expect(frontier![1]!.match(/H/g)).toHaveLength(4)
    expect(charts.costPerformance!.svg).toContain('data-series="jury-cost"')
    expect(charts.costPerformance!.caption).toContain('Pareto frontier')
  })

  it('labels the audit chart’s log scale in bytes with a legend for off-machine and loopback', () => {
    const t = texts(charts.auditVolume!.svg)
    for (const tick of ['1 KB', '1 MB', '100 MB']) expect(t).toContain(tick)
    expect(t).toEqual(
      expect.arrayContaining([
        'Sent off the machine',
        'Received from off the machine',
        'Sent on this machine (loopback)',
        'Received on this machine',
        '1.0 KB',
        '100 MB',
      ]),
    )
    // 1 KB off the machine is a bar of visible length beside 100 MB on loopback.
    const bar = /<path[^>]*fill="#b3261e"[^>]*>/.exec(charts.auditVolume!.svg)?.[0] ?? ''
    expect(Number(/\swidth="([\d.]+)"/.exec(bar)?.[1])).toBeGreaterThan(20)
  })

  it('keeps every text inside the drawing', () => {
    for (const b of blocks())
      for (const m of b.svg.matchAll(/<text([^>]*)>([\s\S]*?)<\/text>/g)) {
        const attrs = m[1]!
        if (attrs.includes('transform')) continue
        const x = Number(/\sx="([-\d.]+)"/.exec(attrs)?.[1])
        const y = Number(/\sy="([-\d.]+)"/.exec(attrs)?.[1])
        const w = textWidth(m[2]!.replace(/<title>[\s\S]*?<\/title>/, '').replace(/<[^>]+>/g, ''), 12)
        const anchor = /text-anchor="(\w+)"/.exec(attrs)?.[1] ?? 'start'
        const left = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2
        expect(left, `${b.title}: ${m[2]}`).toBeGreaterThanOrEqual(0)
        expect(left + w, `${b.title}: ${m[2]}`).toBeLessThanOrEqual(b.width)
        expect(y).toBeGreaterThan(0)
        expect(y).toBeLessThanOrEqual(b.height)
      }
  })

  it('gives the same SVG for the same input, with ids unique to each chart', async () => {
    const again = await reportCharts(input())
    expect(again).toEqual(charts)
    const ids = blocks().flatMap((b) => [...b.svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]))
    expect(new Set(ids).size).toBe(ids.length)
  }, 120_000)

  it('leaves the calling process without browser globals (jsdom lives in the worker)', () => {
    const g = globalThis as Record<string, unknown>
    expect(g.window).toBeUndefined()
    expect(g.document).toBeUndefined()
  })

  // The bundle may be older than the sources (it is rebuilt by npm run build): the same charts,
  // self-contained, not necessarily the same bytes.
  it.skipIf(!existsSync(BUILT))(
    'draws the charts with the built worker too (out/main/chart-worker.js)',
    async () => {
      const built = await reportCharts(input(), { script: BUILT })
      expect(built.agreement).toHaveLength(1)
      for (const b of [built.costPerformance!, built.runtime!, built.auditVolume!, ...built.agreement]) {
        expect(b.svg).toMatch(/^<svg[^>]* xmlns="http:\/\/www.w3.org\/2000\/svg"/)
        expect(b.svg).not.toMatch(/<script|(href|src)="(?!#)/i)
      }
    },
    120_000,
  )

  it('draws nothing, without starting a worker, when there is nothing to draw', async () => {
    const empty = await reportCharts(
      {
        leaderboard: leaderboard([]),
        audit: { destinations: [], byPurpose: [], totalRows: 0 },
        agreements: [],
      },
      { script: '/nonexistent/worker.js' },
    )
    expect(empty).toEqual({ costPerformance: null, runtime: null, agreement: [], auditVolume: null })
  })
})
