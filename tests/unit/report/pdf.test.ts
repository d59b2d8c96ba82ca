import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ReportDoc } from '../../../src/main/report/doc'
import { MARGINS } from '../../../src/main/report/pdf/layout'
import { renderPdf } from '../../../src/main/report/pdf/render-pdf'
import { MODEL_NAMES, fixtureDoc } from './pdf-fixture'
import { pageSizes, pdfFile, pdfInfo, pdfText, pdfWordBoxes } from './pdf-tools'

let pdf: Buffer
let file = ''
let text = ''
let pages = 0

beforeAll(async () => {
  pdf = await renderPdf(fixtureDoc())
  file = pdfFile(pdf)
  text = pdfText(file)
  pages = Number(pdfInfo(file).Pages)
})

describe('renderPdf: content', () => {
  it('has every model name, the intervals and the audit head in its text', () => {
    for (const name of MODEL_NAMES) expect(text).toContain(name)
    expect(text).toContain('0.71 (0.65–0.77)')
    expect(text).toContain('sha256:9f2c4e1a7b3d5f6e8a0c2d4f6b8e0a1c3e5f7a9b1d3f5e7a9c1e3f5a7b9d1f3e5')
  })

  it('prints the characters a report needs, not substitutes', () => {
    for (const s of [
      '−0.03',
      'κ ≥ 0.61',
      'ψ-bias',
      'n ≤ 30',
      '→ wide intervals…',
      'δ =',
      'ρ =',
      '× marks',
      'GPU-hour ×',
    ])
      expect(text).toContain(s)
  })

  it('starts with a title page and a contents list, then the sections in order', () => {
    const first = pdfText(file, { first: 1, last: 1 })
    expect(first).toContain('WardEval evaluation report — Internal medicine pilot')
    expect(first).toContain('Generated 2026-12-05 02:30 UTC')
    expect(first).toContain('WardEval 0.1.0')
    const contents = pdfText(file, { first: 2, last: 2 })
    const titles = fixtureDoc().sections.map((s) => s.title)
    expect(contents).toContain('Contents')
    let at = -1
    for (const title of titles) {
      const next = contents.indexOf(title)
      expect(next, title).toBeGreaterThan(at)
      at = next
    }
    const body = pdfText(file, { first: 3 })
    const expected = [titles[0]!, 'Significant differences', ...titles.slice(1)]
    at = -1
    for (const heading of expected) {
      const next = body.indexOf(heading, at + 1)
      expect(next, heading).toBeGreaterThan(at)
      at = next
    }
  })

  it('numbers every page "Page n of m"', () => {
    expect(text).toContain('Page 1 of ')
    expect(pages).toBeGreaterThanOrEqual(8)
    expect(pages).toBeLessThanOrEqual(30)
    for (let p = 1; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`)
  })

  it('repeats the header row of a table that runs onto another page', () => {
    expect(text.split('Jury comment').length - 1).toBeGreaterThanOrEqual(2)
    expect(text).toContain('Per-instance results (200 rows) (continued)')
    for (const id of ['inst-0001', 'inst-0100', 'inst-0200']) expect(text).toContain(id)
  })

  it('sets a 20-model table on landscape pages in column groups that each repeat the first column', () => {
    const sizes = pageSizes(file, pages)
    expect(sizes.some((s) => s.width > s.height)).toBe(true)
    expect(sizes[0]!.width).toBeLessThan(sizes[0]!.height)
    expect(text).toMatch(/part 1 of \d: columns 2–\d+ of 21, with the first column repeated/)
    const benchmarkOne = text.split('Benchmark 1 — MedCalc-Bench').length - 1
    expect(benchmarkOne).toBeGreaterThanOrEqual(2)
  })

  it('writes the metadata: title, WardEval as author and creator, the creation date of the report', () => {
    const info = pdfInfo(file)
    expect(info.Title).toBe('WardEval evaluation report — Internal medicine pilot')
    expect(info.Author).toBe('WardEval 0.1.0')
    expect(info.Creator).toBe('WardEval 0.1.0')
    expect(info.CreationDate).toMatch(/^2026-12-05T02:30:00/)
  })

  it('has one bookmark per section and a link from the contents to each', () => {
    const raw = pdf.toString('latin1')
    expect(raw).toContain('/Outlines')
    expect(raw).toContain('(Leaderboard)')
    expect(raw).toContain('(Scope and reproducibility)')
    for (const [i, s] of fixtureDoc().sections.entries())
      expect(raw).toContain(`/D (section-${s.id}-${i + 1})`)
  })
})

describe('renderPdf: accessibility', () => {
  it('is a tagged PDF: sections, headings, lists, tables with header cells, a figure with its alternative', () => {
    expect(pdfInfo(file).Tagged).toBe('yes')
    const tree = execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' })
    for (const element of [
      'Document',
      'Sect',
      'H1',
      'H2',
      'TOCI',
      'LBody',
      'Table',
      'TH',
      'TD',
      'Caption',
      'Figure',
    ])
      expect(tree, element).toMatch(new RegExp(`^\\s*${element}\\b`, 'm'))
    expect(pdf.toString('latin1')).toMatch(/\/S \/Figure[^>]*\/Alt|\/Alt[^>]*\/S \/Figure/)
    expect(pdf.toString('latin1')).toContain('/Lang (en)')
  })
})

describe('renderPdf: layout', () => {
  it('draws no word outside the page or in the margins', () => {
    const boxes = pdfWordBoxes(file)
    expect(boxes).toHaveLength(pages)
    for (const [i, page] of boxes.entries()) {
      for (const w of page.words) {
        const where = `page ${i + 1}, "${w.text}"`
        expect(w.xMin, where).toBeGreaterThanOrEqual(MARGINS.left - 1)
        expect(w.xMax, where).toBeLessThanOrEqual(page.width - MARGINS.right + 1)
        expect(w.yMin, where).toBeGreaterThanOrEqual(MARGINS.top - 12)
        expect(w.yMax, where).toBeLessThanOrEqual(page.height - 12)
      }
    }
  })

  it('gives the same bytes for the same document', async () => {
    const again = await renderPdf(fixtureDoc())
    expect(again.equals(pdf)).toBe(true)
    const later = await renderPdf({ ...fixtureDoc(), generatedAt: '2026-12-06T02:30:00.000Z' })
    expect(later.equals(pdf)).toBe(false)
  })
})

describe('renderPdf: failures and odd input', () => {
  const small = (over: Partial<ReportDoc> = {}): ReportDoc => ({
    title: 'Small',
    subtitle: '',
    generatedAt: '2026-12-05T00:00:00Z',
    appVersion: '0.1.0',
    sections: [
      { id: 'summary', title: 'Summary', blocks: [{ kind: 'paragraph', text: 'Model 医生 🤖 scored 0.5.' }] },
    ],
    ...over,
  })

  it('names the font file when the fonts are missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wardeval-nofont-'))
    await expect(renderPdf(small(), { fontDir: empty })).rejects.toThrow(/DejaVuSans\.ttf/)
  })

  it('refuses a document without a valid generation time', async () => {
    await expect(renderPdf(small({ generatedAt: 'yesterday' }))).rejects.toThrow(/generatedAt/)
  })

  it('prints characters the fonts lack as the replacement character, visibly', async () => {
    const out = pdfText(pdfFile(await renderPdf(small())))
    expect(out).toContain('Model �� � scored 0.5.')
  })

  it('renders empty sections, empty tables and an empty document', async () => {
    const doc = small({
      sections: [
        { id: 'summary', title: 'Empty', blocks: [] },
        {
          id: 'scope',
          title: 'Empty table',
          blocks: [{ kind: 'table', caption: 'Nothing yet', columns: [{ key: 'a', label: 'A' }], rows: [] }],
        },
      ],
    })
    const out = pdfText(pdfFile(await renderPdf(doc)))
    expect(out).toContain('Nothing yet')
    expect(pdfInfo(pdfFile(await renderPdf(small({ sections: [] })))).Pages).toBe('2')
  })

  it('ships its fonts with their licence', () => {
    const licence = readFileSync(join(__dirname, '../../../resources/fonts/LICENSE-DejaVu.txt'), 'utf8')
    expect(licence).toContain('Bitstream')
  })

  it('keeps extreme tables on the page: a cell longer than a page, 60 columns, a 90-character word', async () => {
    const long = 'The jury noted '.concat('an omission of the renal dose adjustment '.repeat(400))
    const wide = Array.from({ length: 60 }, (_, i) => ({
      key: `c${i}`,
      label: `column ${i}`,
      align: 'right' as const,
    }))
    const doc = small({
      sections: [
        {
          id: 'examples',
          title: 'Extremes',
          blocks: [
            {
              kind: 'table',
              caption: 'Long',
              columns: [{ key: 'a', label: 'Comment' }],
              rows: [{ a: long }, { a: 'short' }],
            },
            {
              kind: 'table',
              caption: 'Wide',
              columns: [{ key: 'k', label: 'Key' }, ...wide],
              rows: [Object.fromEntries([['k', 'row'], ...wide.map((c) => [c.key, '0.123 (0.100–0.150)'])])],
            },
            { kind: 'keyValues', rows: [{ label: 'Digest', value: 'f'.repeat(90) }] },
            { kind: 'paragraph', text: 'x'.repeat(300) },
          ],
        },
      ],
    })
    const out = pdfFile(await renderPdf(doc))
    const text = pdfText(out)
    expect(text).toContain('…')
    expect(text).toContain('short')
    expect(text).toContain('column 59')
    for (const [i, page] of pdfWordBoxes(out).entries())
      for (const w of page.words) {
        expect(w.xMax, `page ${i + 1} "${w.text}"`).toBeLessThanOrEqual(page.width - MARGINS.right + 1)
        expect(w.yMax, `page ${i + 1} "${w.text}"`).toBeLessThanOrEqual(page.height - 12)
      }
  })
})
