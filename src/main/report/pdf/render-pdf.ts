import PDFDocument from 'pdfkit'
import { AppError } from '../../errors'
import type { ReportBlock, ReportDoc } from '../doc'
import { drawChart } from './chart'
import { loadReportFonts, fontName, type FontRole, type ReportFonts } from './fonts'
import { drawFooters } from './footer'
import { drawContents, drawTitlePage, type ContentsEntry } from './front-matter'
import { coverDoc, glyphChecker } from './glyphs'
import {
  COLOR,
  MARGINS,
  PAGE_SIZE,
  TYPE,
  addPage,
  contentWidth,
  orientationOf,
  useFont,
  type Pdf,
} from './layout'
import { drawTable } from './table-draw'
import { tag, type Struct } from './tags'
import { drawCallout, drawHeading, drawList, drawParagraph } from './text-blocks'

/**
 * The report as a PDF, headless (pdfkit: no browser, no Electron), with the same blocks as the
 * HTML report: a title page, a contents list linking to each section, one bookmark per section
 * (and per heading inside it), tables that repeat their header row across pages, vector charts,
 * "Page n of m" on every page. The same document always gives the same bytes: the creation date
 * and the file identifier come from `doc.generatedAt`, nothing from the clock.
 */
export interface RenderPdfOptions {
  /** Folder holding the DejaVu fonts (default: resources/fonts of this installation). */
  fontDir?: string
}

export async function renderPdf(doc: ReportDoc, options: RenderPdfOptions = {}): Promise<Buffer> {
  const created = new Date(doc.generatedAt)
  if (Number.isNaN(created.getTime()))
    throw new AppError('invalid_input', 'The report has no valid generation time (generatedAt).')
  const fonts = loadReportFonts(options.fontDir)
  const pdf = new PDFDocument({
    size: PAGE_SIZE,
    margins: MARGINS,
    bufferPages: true,
    autoFirstPage: false,
    displayTitle: true,
    lang: 'en',
    tagged: true,
    info: {
      Title: doc.title,
      Subject: doc.subtitle,
      Author: `WardEval ${doc.appVersion}`,
      Creator: `WardEval ${doc.appVersion}`,
      Producer: `WardEval ${doc.appVersion} (PDFKit)`,
      CreationDate: created,
      ModDate: created,
    },
  })
  const done = collect(pdf)
  registerFonts(pdf, fonts)
  layOut(pdf, coverDoc(doc, glyphChecker(pdf)))
  pdf.end()
  return done
}

function collect(pdf: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = []
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
  })
}

function registerFonts(pdf: Pdf, fonts: ReportFonts): void {
  for (const role of Object.keys(fonts) as FontRole[]) pdf.registerFont(fontName(role), fonts[role])
}

function layOut(pdf: Pdf, doc: ReportDoc): void {
  const root = pdf.struct('Document')
  pdf.addStructure(root)
  addPage(pdf)
  drawTitlePage(pdf, tag(pdf, root, 'Sect'), doc)
  addPage(pdf)
  const contentsPage = pdf.bufferedPageRange().count - 1
  const contents = tag(pdf, root, 'Sect')
  const entries: ContentsEntry[] = []
  for (const section of doc.sections) {
    addPage(pdf)
    const destination = `section-${section.id}-${entries.length + 1}`
    pdf.addNamedDestination(destination)
    entries.push({ title: section.title, destination, page: pdf.bufferedPageRange().count })
    const bookmark = pdf.outline.addItem(section.title)
    const sect = tag(pdf, root, 'Sect')
    tag(pdf, sect, 'H1', () =>
      useFont(pdf, 'bold', TYPE.h1, COLOR.accent).text(section.title, pdf.page.margins.left, pdf.y, {
        width: contentWidth(pdf),
      }),
    )
    pdf.y += 8
    for (const block of section.blocks) drawBlock(pdf, sect, block, bookmark)
    sect.end()
  }
  pdf.switchToPage(contentsPage)
  drawContents(pdf, contents, entries)
  contents.end()
  root.end()
  drawFooters(pdf, doc.title)
}

function drawBlock(pdf: Pdf, sect: Struct, block: ReportBlock, bookmark: PDFKit.PDFOutline): void {
  // Prose after a landscape table goes back to portrait pages.
  if (block.kind !== 'table' && orientationOf(pdf) === 'landscape') addPage(pdf)
  switch (block.kind) {
    case 'heading':
      drawHeading(pdf, sect, block.text)
      bookmark.addItem(block.text)
      return
    case 'paragraph':
      return drawParagraph(pdf, sect, block.text)
    case 'callout':
      return drawCallout(pdf, sect, block.tone, block.text)
    case 'list':
      return drawList(pdf, sect, block.items)
    case 'keyValues':
      return drawTable(pdf, sect, {
        caption: '',
        header: false,
        columns: [
          { key: 'label', label: 'Item', align: 'left' },
          { key: 'value', label: 'Value', align: 'left' },
        ],
        rows: block.rows,
      })
    case 'table':
      return drawTable(pdf, sect, block)
    case 'chart':
      return drawChart(pdf, sect, block)
  }
}
