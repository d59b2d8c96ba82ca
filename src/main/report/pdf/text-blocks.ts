import { COLOR, TYPE, contentWidth, ensureSpace, printable, useFont, type Pdf } from './layout'
import { artifact, tag, type Struct } from './tags'

/** Headings, paragraphs, callouts and lists: prose that flows down the page. */

const PARAGRAPH_GAP = 7

export function drawHeading(pdf: Pdf, parent: Struct, text: string): void {
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  useFont(pdf, 'bold', TYPE.h2, COLOR.accent)
  const height = pdf.heightOfString(printable(text), { width })
  // Keep a heading with at least a few lines of what follows it.
  ensureSpace(pdf, height + 60)
  pdf.y += 6
  tag(pdf, parent, 'H2', () =>
    useFont(pdf, 'bold', TYPE.h2, COLOR.accent).text(printable(text), x, pdf.y, { width }),
  )
  pdf.y += 4
}

export function drawParagraph(pdf: Pdf, parent: Struct, text: string): void {
  const x = pdf.page.margins.left
  useFont(pdf, 'regular', TYPE.body)
  ensureSpace(pdf, pdf.currentLineHeight(true) * 2)
  tag(pdf, parent, 'P', () => pdf.text(printable(text), x, pdf.y, { width: contentWidth(pdf), lineGap: 1.5 }))
  pdf.y += PARAGRAPH_GAP
}

/**
 * A tinted box with a coloured bar on its left. A warning is amber with a bold "Warning" label,
 * an info note teal with "Note", so the two differ in print without colour too.
 */
export function drawCallout(pdf: Pdf, parent: Struct, tone: 'info' | 'warning', text: string): void {
  const pad = 8
  const bar = 4
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  const innerWidth = width - bar - 2 * pad
  const label = tone === 'warning' ? 'Warning: ' : 'Note: '
  const colors = tone === 'warning' ? COLOR.warning : COLOR.info
  useFont(pdf, 'regular', TYPE.body)
  const body = printable(text)
  const height = pdf.heightOfString(label + body, { width: innerWidth, lineGap: 1.5 }) + 2 * pad
  ensureSpace(pdf, Math.min(height, 200) + PARAGRAPH_GAP)
  const top = pdf.y
  const bottom = Math.min(top + height, pdf.page.height - pdf.page.margins.bottom)
  artifact(pdf, () => {
    pdf
      .save()
      .rect(x, top, width, bottom - top)
      .fill(colors.fill)
    pdf
      .rect(x, top, bar, bottom - top)
      .fill(colors.bar)
      .restore()
  })
  tag(pdf, parent, 'P', () => {
    useFont(pdf, 'bold', TYPE.body, tone === 'warning' ? COLOR.warning.text : COLOR.accent)
    pdf.text(label, x + bar + pad, top + pad, { width: innerWidth, continued: true, lineGap: 1.5 })
    useFont(pdf, 'regular', TYPE.body).text(body, { lineGap: 1.5 })
  })
  pdf.y = Math.max(pdf.y, top + height) + PARAGRAPH_GAP
}

export function drawList(pdf: Pdf, parent: Struct, items: string[]): void {
  const x = pdf.page.margins.left
  const indent = 14
  const width = contentWidth(pdf) - indent
  useFont(pdf, 'regular', TYPE.body)
  const list = tag(pdf, parent, 'L')
  for (const item of items) {
    const text = printable(item)
    ensureSpace(pdf, Math.min(pdf.heightOfString(text, { width }), 3 * pdf.currentLineHeight(true)))
    const top = pdf.y
    const entry = tag(pdf, list, 'LI')
    tag(pdf, entry, 'Lbl', () => pdf.text('•', x + 3, top, { width: indent, lineBreak: false }))
    tag(pdf, entry, 'LBody', () => pdf.text(text, x + indent, top, { width, lineGap: 1.5 }))
    entry.end()
    pdf.y += 2
  }
  list.end()
  pdf.y += PARAGRAPH_GAP - 2
}
