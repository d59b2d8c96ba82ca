import { COLOR, FOOTER_GAP, TYPE, fitLine, printable, useFont, type Pdf } from './layout'
import { artifact } from './tags'

/**
 * "Page n of m" and the report's title at the foot of every page, drawn once all pages exist
 * (the document buffers its pages). The footer sits in the bottom margin, so the margin is set
 * aside while it is written: otherwise the PDF library would start a new page.
 */
export function drawFooters(pdf: Pdf, title: string): void {
  const range = pdf.bufferedPageRange()
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i)
    const bottom = pdf.page.margins.bottom
    const y = pdf.page.height - bottom + FOOTER_GAP
    pdf.page.margins.bottom = 0
    artifact(pdf, () => drawFooter(pdf, title, `Page ${i - range.start + 1} of ${range.count}`, y))
    pdf.page.margins.bottom = bottom
  }
}

/** The rule, the title (cut to fit) and the page number at height `y`: pagination, an artifact. */
function drawFooter(pdf: Pdf, title: string, pageText: string, y: number): void {
  const { left, right } = pdf.page.margins
  const width = pdf.page.width - left - right
  pdf
    .save()
    .moveTo(left, y - 6)
    .lineTo(left + width, y - 6)
    .lineWidth(0.4)
    .strokeColor(COLOR.rule)
    .stroke()
    .restore()
  useFont(pdf, 'regular', TYPE.footer, COLOR.muted)
  const pageWidth = pdf.widthOfString(pageText)
  const titleWidth = width - pageWidth - 20
  pdf.text(fitLine(pdf, printable(title).replace(/\n/g, ' '), titleWidth), left, y, { lineBreak: false })
  pdf.text(pageText, left + width - pageWidth, y, { lineBreak: false })
}
