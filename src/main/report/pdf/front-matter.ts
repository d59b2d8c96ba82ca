import type { ReportDoc } from '../doc'
import { COLOR, TYPE, contentWidth, fitLine, printable, useFont, type Pdf } from './layout'

/** The title page and the contents list (filled in once the sections' pages are known). */

export function formatGeneratedAt(iso: string): string {
  const d = new Date(iso)
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

export function drawTitlePage(pdf: Pdf, doc: ReportDoc): void {
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  pdf.y = pdf.page.height * 0.28
  pdf
    .save()
    .rect(x, pdf.y - 18, 60, 4)
    .fill(COLOR.accent)
    .restore()
  useFont(pdf, 'bold', TYPE.title).text(printable(doc.title), x, pdf.y, { width })
  pdf.y += 8
  useFont(pdf, 'regular', TYPE.subtitle, COLOR.muted).text(printable(doc.subtitle), x, pdf.y, { width })
  pdf.y += 28
  useFont(pdf, 'regular', TYPE.body)
  pdf.text(`Generated ${formatGeneratedAt(doc.generatedAt)}`, x, pdf.y, { width })
  pdf.text(`WardEval ${printable(doc.appVersion)}`, x, pdf.y + 3, { width })
}

export interface ContentsEntry {
  title: string
  /** Named destination of the section's first page. */
  destination: string
  /** 1-based page number. */
  page: number
}

/** One line per section: its title (a link to it), dotted leader, its page number. */
export function drawContents(pdf: Pdf, entries: ContentsEntry[]): void {
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  pdf.y = pdf.page.margins.top
  useFont(pdf, 'bold', TYPE.h1, COLOR.accent).text('Contents', x, pdf.y, { width })
  pdf.y += 10
  for (const [i, entry] of entries.entries()) {
    const y = pdf.y
    const number = String(entry.page)
    useFont(pdf, 'regular', TYPE.body + 1)
    const numberWidth = pdf.widthOfString(number)
    const label = fitLine(
      pdf,
      `${i + 1}.  ${printable(entry.title).replace(/\n/g, ' ')}`,
      width - numberWidth - 30,
    )
    const labelWidth = pdf.widthOfString(label)
    pdf.text(label, x, y, { width: labelWidth + 1, lineBreak: false, goTo: entry.destination })
    const leaderStart = x + labelWidth + 6
    const leaderEnd = x + width - numberWidth - 6
    useFont(pdf, 'regular', TYPE.body + 1, COLOR.rule)
    pdf
      .save()
      .moveTo(leaderStart, y + 9)
      .lineTo(leaderEnd, y + 9)
      .dash(1, { space: 2.5 })
      .strokeColor(COLOR.rule)
      .stroke()
      .restore()
    useFont(pdf, 'regular', TYPE.body + 1).text(number, x + width - numberWidth, y, {
      width: numberWidth + 1,
      lineBreak: false,
      goTo: entry.destination,
    })
    pdf.y = y + 20
  }
}
