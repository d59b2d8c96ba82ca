import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { setPrice } from '../../../src/main/analysis/prices'
import { signerFor } from '../../../src/main/signing/installation'
import { runCliCaptured } from '../../support/cli'
import { pdfText } from './pdf-tools'
import { useReportWorld } from './use-world'
import { REPORT_JUDGES, REPORT_MODELS } from './world'

/**
 * The report end to end with the real charts (the app's chart components drawn in the chart
 * worker, not a fixture SVG): on the report world with every model and judge priced, `report --out`
 * writes an HTML and a PDF that both carry the cost-performance, runtime, clinician-agreement and
 * audit-volume charts, and `verify` passes on both.
 */

const world = useReportWorld()
const cli = (...args: string[]) =>
  runCliCaptured(['--db', world.ctx.dbPath, ...args], { env: { OLLAMA_HOST: world.fake.url } })

const TITLES = [
  'Mean win rate against cost per 1,000 answers',
  'Mean win rate against time per answer',
  'Jury against clinicians, per output — review set 1',
  'Data sent and received per destination',
]

beforeAll(() => {
  for (const modelKey of [...REPORT_MODELS, ...REPORT_JUDGES])
    setPrice(world.ctx.db, { modelKey, inputPerMTok: 0.5, outputPerMTok: 1.5 })
})

async function written(name: string): Promise<string> {
  const out = join(world.ctx.dir, name)
  const r = await cli('report', '--seed', '4', '--out', out)
  expect(r.stderr).toBe('')
  expect(r.code).toBe(0)
  const v = await cli('verify', out)
  expect(v.code).toBe(0)
  expect(v.stdout).toContain(`VERIFIED: ${out}`)
  return out
}

describe('report with the real charts', () => {
  it('HTML: each chart is an inline <svg> inside a <figure>, titled, with one xmlns', async () => {
    const html = readFileSync(await written('charts.html'), 'utf8')
    const figures = [...html.matchAll(/<figure class="chart">([\s\S]*?)<\/figure>/g)].map((m) => m[1]!)
    expect(figures).toHaveLength(TITLES.length)
    for (const [i, title] of TITLES.entries()) {
      const f = figures[i]!
      expect(f).toContain(`<figcaption><strong>${title}</strong>`)
      const svg = /<svg\b[^>]*>/.exec(f)?.[0] ?? ''
      expect(svg).toContain('role="img"')
      // recharts' own xmlns attribute and the serializer's namespace must not both come out.
      expect(svg.match(/\sxmlns=/g)).toHaveLength(1)
      expect(f).toMatch(/<\/svg>\s*<\/div>\s*<figcaption>/)
      // Drawn, not an empty frame: marks and axis labels.
      expect(f).toMatch(/<(circle|rect|path)\b/)
      expect(f).toMatch(/<text\b/)
    }
  }, 90_000)

  it('PDF: the chart titles are in its text, and the title page names the signing key', async () => {
    const text = pdfText(await written('charts.pdf')).replace(/\s+/g, ' ')
    for (const title of TITLES) expect(text).toContain(title)
    // The charts' own axis titles are drawn as text too, not an image.
    expect(text).toContain('Cost per 1,000 answers (USD)')
    expect(text).toContain('Bytes per destination')
    expect(text).toContain(`signed by the installation key ${signerFor(world.ctx).fingerprint}`)
  }, 90_000)
})
