import type { ReportDoc } from '../doc'
import { COLOR, TYPE, contentWidth, fitLine, printable, useFont, type Pdf } from './layout'
import { artifact, tag, type Struct } from './tags'

/** The title page and the contents list (filled in once the sections' pages are known). */

export function formatGeneratedAt(iso: string): string {
  const d = new Date(iso)
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** What the HTML report's footer says: which key signed the file and how to check it. */
export function signatureNote(doc: Pick<ReportDoc, 'keyFingerprint'>): string {
  const key = doc.keyFingerprint ? `${printable(doc.keyFingerprint)} ` : ''
  return (
    `This file is signed by the installation key ${key}of the WardEval that produced it; the signature ` +
    'is embedded at the end of the file. Check that not a byte changed with: wardeval verify <this file>'
  )
}

export function drawTitlePage(pdf: Pdf, parent: Struct, doc: ReportDoc): void {
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  pdf.y = pdf.page.height * 0.28
  const y = pdf.y
  artifact(pdf, () =>
    pdf
      .save()
      .rect(x, y - 18, 60, 4)
      .fill(COLOR.accent)
      .restore(),
  )
  tag(pdf, parent, 'H1', () =>
    useFont(pdf, 'bold', TYPE.title).text(printable(doc.title), x, pdf.y, { width }),
  )
  pdf.y += 8
  tag(pdf, parent, 'P', () =>
    useFont(pdf, 'regular', TYPE.subtitle, COLOR.muted).text(printable(doc.subtitle), x, pdf.y, { width }),
  )
  pdf.y += 28
  tag(pdf, parent, 'P', () => {
    useFont(pdf, 'regular', TYPE.body)
    pdf.text(`Generated ${formatGeneratedAt(doc.generatedAt)}`, x, pdf.y, { width })
    pdf.text(`WardEval ${printable(doc.appVersion)}`, x, pdf.y + 3, { width })
  })
  pdf.y += 18
  tag(pdf, parent, 'P', () =>
    useFont(pdf, 'regular', TYPE.small, COLOR.muted).text(signatureNote(doc), x, pdf.y, { width }),
  )
  parent.end()
}

export interface ContentsEntry {
  title: string
  /** Named destination of the section's first page. */
  destination: string
  /** 1-based page number. */
  page: number
}

/** One line per section: its title (a link to it), dotted leader, its page number. */
export function drawContents(pdf: Pdf, parent: Struct, entries: ContentsEntry[]): void {
  const x = pdf.page.margins.left
  const width = contentWidth(pdf)
  pdf.y = pdf.page.margins.top
  tag(pdf, parent, 'H1', () =>
    useFont(pdf, 'bold', TYPE.h1, COLOR.accent).text('Contents', x, pdf.y, { width }),
  )
  pdf.y += 10
  const toc = tag(pdf, parent, 'TOC')
  for (const [i, entry] of entries.entries()) {
    const y = pdf.y
    const number = String(entry.page)
    useFont(pdf, 'regular', TYPE.body + 1)
    const numberWidth = pdf.widthOfString(number)
    const title = printable(entry.title).replace(/\n/g, ' ')
    const label = fitLine(pdf, `${i + 1}.  ${title}`, width - numberWidth - 30)
    const labelWidth = pdf.widthOfString(label)
    tag(pdf, toc, 'TOCI', () => {
      pdf.text(label, x, y, { width: labelWidth + 1, lineBreak: false, goTo: entry.destination })
      pdf.text(number, x + width - numberWidth, y, {
        width: numberWidth + 1,
        lineBreak: false,
        goTo: entry.destination,
      })
    })
    artifact(pdf, () =>
      pdf
        .save()
        .moveTo(x + labelWidth + 6, y + 9)
        .lineTo(x + width - numberWidth - 6, y + 9)
        .dash(1, { space: 2.5 })
        .strokeColor(COLOR.rule)
        .stroke()
        .restore(),
    )
    pdf.y = y + 20
  }
  toc.end()
}
