import type { ReportColumn } from '../doc'
import { fontName } from './fonts'
import {
  COLOR,
  MARGINS,
  TYPE,
  addPage,
  contentBottom,
  contentBox,
  ensureSpace,
  orientationOf,
  useFont,
  type Orientation,
  type Pdf,
} from './layout'
import { numericColumn, tableText } from './table-cells'
import { artifact, tag, type Struct } from './tags'
import { CELL_PAD_X, planTable, type TableAttempt, type TableColumnSpec } from './table-layout'

/**
 * Tables: widths from content (table-layout.ts), text wrapped in cells, zebra rows, the header
 * row repeated on every page the table runs onto, numbers right-aligned.
 */
export interface PdfTable {
  caption: string
  columns: ReportColumn[]
  rows: Record<string, string>[]
  note?: string
  /** Key–value lists have no header row and a bold first column. */
  header?: boolean
}

const PAD_Y = 2.5
const LINE_GAP = 0.5

const A4_PORTRAIT_WIDTH = contentBox('portrait').width
const A4_LANDSCAPE_WIDTH = contentBox('landscape').width
const ATTEMPTS: TableAttempt[] = [
  { layout: 'portrait', size: TYPE.small + 0.5, width: A4_PORTRAIT_WIDTH },
  { layout: 'portrait', size: 7.5, width: A4_PORTRAIT_WIDTH },
  { layout: 'landscape', size: 8, width: A4_LANDSCAPE_WIDTH },
  { layout: 'landscape', size: 7.5, width: A4_LANDSCAPE_WIDTH },
]

interface Group {
  caption: string
  header: boolean
  layout: Orientation
  size: number
  specs: TableColumnSpec[]
  widths: number[]
  rowCount: number
}

export function drawTable(pdf: Pdf, parent: Struct, table: PdfTable): void {
  const specs: TableColumnSpec[] = table.columns.map((c, i) => {
    const cells = table.rows.map((r) => tableText(r[c.key] ?? ''))
    const align = c.align ?? (numericColumn(cells) ? 'right' : 'left')
    return { label: tableText(c.label), align, cells, bold: table.header === false && i === 0 }
  })
  const widthCache = new Map<string, number>()
  const measure = (text: string, size: number, bold: boolean): number => {
    const key = (bold ? 'b' : 'r') + text
    let w = widthCache.get(key)
    if (w === undefined) {
      w =
        pdf
          .font(fontName(bold ? 'narrowBold' : 'narrow'))
          .fontSize(10)
          .widthOfString(text) / 10
      widthCache.set(key, w)
    }
    return w * size
  }
  const plan = planTable(specs, ATTEMPTS, measure)
  const caption = tableText(table.caption)
  plan.groups.forEach((cols, g) => {
    const part =
      plan.groups.length > 1
        ? ` (part ${g + 1} of ${plan.groups.length}: columns ${(cols[1] ?? 0) + 1}–${cols[cols.length - 1]! + 1} of ${specs.length}, with the first column repeated)`
        : ''
    drawGroup(pdf, parent, {
      caption: caption + part,
      header: table.header !== false,
      layout: plan.layout,
      size: plan.size,
      specs: cols.map((i) => specs[i]!),
      widths: plan.widths[g]!,
      rowCount: table.rows.length,
    })
  })
  if (table.note) {
    useFont(pdf, 'regular', TYPE.small, COLOR.muted)
    const note = tableText(table.note)
    const width = plan.widths[0]!.reduce((a, b) => a + b, 0)
    tag(pdf, parent, 'P', () => pdf.text(note, MARGINS.left, pdf.y, { width }))
  }
  pdf.y += 8
}

function drawGroup(pdf: Pdf, parent: Struct, group: Group): void {
  useFont(pdf, 'bold', TYPE.small)
  const captionHeight = group.caption
    ? pdf.heightOfString(group.caption, { width: captionWidth(group) }) + 2
    : 0
  const headerHeight = group.header ? rowHeight(pdf, group, null, Infinity) : 0
  // A row never exceeds one page: extra text ends in an ellipsis.
  const cap = contentBox(group.layout).height - captionHeight - headerHeight - 2
  // The caption and header row stay with the first row.
  const firstRow = group.rowCount > 0 ? rowHeight(pdf, group, 0, cap) : 0
  ensureSpace(pdf, captionHeight + headerHeight + firstRow + 2, group.layout)
  const table = tag(pdf, parent, 'Table')
  // The first caption and header row are the table's; their repeats on later pages are artifacts.
  if (group.caption) tag(pdf, table, 'Caption', () => drawCaption(pdf, group.caption, captionWidth(group)))
  if (group.header) drawRow(pdf, group, null, headerHeight, tag(pdf, table, 'TR'))
  for (let r = 0; r < group.rowCount; r++) {
    const height = rowHeight(pdf, group, r, cap)
    if (pdf.y + height > contentBottom(pdf)) {
      addPage(pdf, orientationOf(pdf))
      artifact(pdf, () => {
        drawCaption(pdf, group.caption && `${group.caption} (continued)`, captionWidth(group))
        if (group.header) drawRow(pdf, group, null, headerHeight, null)
      })
    }
    drawRow(pdf, group, r, height, tag(pdf, table, 'TR'))
  }
  table.end()
  pdf.x = pdf.page.margins.left
  pdf.y += 6
}

function captionWidth(group: Group): number {
  return contentBox(group.layout).width
}

function drawCaption(pdf: Pdf, caption: string, width: number): void {
  if (!caption) return
  useFont(pdf, 'bold', TYPE.small, COLOR.text)
  pdf.text(caption, pdf.page.margins.left, pdf.y, { width })
  pdf.y += 2
}

function cellFont(group: Group, row: number | null, col: number): string {
  return fontName(row === null || group.specs[col]!.bold ? 'narrowBold' : 'narrow')
}

function cellText(group: Group, row: number | null, col: number): string {
  const spec = group.specs[col]!
  return row === null ? spec.label : spec.cells[row]!
}

function rowHeight(pdf: Pdf, group: Group, row: number | null, cap: number): number {
  let lines =
    pdf
      .font(cellFont(group, row, 0))
      .fontSize(group.size)
      .currentLineHeight(true) + LINE_GAP
  for (let c = 0; c < group.specs.length; c++) {
    const text = cellText(group, row, c)
    const width = group.widths[c]! - 2 * CELL_PAD_X
    pdf.font(cellFont(group, row, c)).fontSize(group.size)
    if (text.includes('\n') || pdf.widthOfString(text) > width)
      lines = Math.max(lines, pdf.heightOfString(text, { width, lineGap: LINE_GAP }))
  }
  return Math.min(lines + 2 * PAD_Y, cap)
}

/** One row; `tr` is its structure element, or null when the row is a repeat (an artifact). */
function drawRow(pdf: Pdf, group: Group, row: number | null, height: number, tr: Struct | null): void {
  const top = pdf.y
  const left = pdf.page.margins.left
  const total = group.widths.reduce((a, b) => a + b, 0)
  const decorate = () => {
    if (row === null) pdf.save().rect(left, top, total, height).fill(COLOR.headerFill).restore()
    else if (row % 2 === 1) pdf.save().rect(left, top, total, height).fill(COLOR.zebra).restore()
  }
  if (tr) artifact(pdf, decorate)
  else decorate()
  let x = left
  for (let c = 0; c < group.specs.length; c++) {
    const width = group.widths[c]!
    const cellX = x
    const draw = () => {
      pdf
        .font(cellFont(group, row, c))
        .fontSize(group.size)
        .fillColor(COLOR.text)
      pdf.text(cellText(group, row, c), cellX + CELL_PAD_X, top + PAD_Y, {
        width: width - 2 * CELL_PAD_X,
        height: height - 2 * PAD_Y + 0.01,
        align: group.specs[c]!.align,
        lineGap: LINE_GAP,
        ellipsis: true,
      })
    }
    if (tr) tag(pdf, tr, row === null || group.specs[c]!.bold ? 'TH' : 'TD', draw)
    else draw()
    x += width
  }
  tr?.end()
  if (row === null || !group.header) {
    const rule = () =>
      pdf
        .save()
        .moveTo(left, top + height)
        .lineTo(left + total, top + height)
        .lineWidth(row === null ? 0.8 : 0.3)
        .strokeColor(COLOR.rule)
        .stroke()
        .restore()
    if (tr) artifact(pdf, rule)
    else rule()
  }
  pdf.y = top + height
}
