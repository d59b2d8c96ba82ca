import { displayLines } from '../../../shared/display-text'
import { fontName, type FontRole } from './fonts'

/**
 * Page geometry, type sizes and colours of the PDF report, and the few moves every block makes:
 * set a font, keep room for what comes next, start a page of the right orientation.
 */
export type Pdf = PDFKit.PDFDocument
export type Orientation = 'portrait' | 'landscape'

export const PAGE_SIZE = 'A4'
/** Points (1/72 inch). The bottom margin leaves room for the footer. */
export const MARGINS = { top: 54, bottom: 62, left: 56, right: 56 }
export const FOOTER_GAP = 26
const A4 = { short: 595.28, long: 841.89 }

/** Room for content on a page of that orientation, in points. */
export function contentBox(layout: Orientation): { width: number; height: number } {
  const [w, h] = layout === 'portrait' ? [A4.short, A4.long] : [A4.long, A4.short]
  return { width: w - MARGINS.left - MARGINS.right, height: h - MARGINS.top - MARGINS.bottom }
}

export const TYPE = { title: 24, subtitle: 13, h1: 17, h2: 12.5, body: 10, small: 8.5, footer: 8 }

export const COLOR = {
  text: '#1a1a1a',
  muted: '#555555',
  accent: '#0b6e79',
  rule: '#b8c4c6',
  headerFill: '#e4eef0',
  zebra: '#f5f7f8',
  info: { fill: '#e8f3f5', bar: '#0b6e79' },
  warning: { fill: '#fff1d6', bar: '#b45309', text: '#7a3b00' },
}

export function useFont(pdf: Pdf, role: FontRole, size: number, color: string = COLOR.text): Pdf {
  return pdf.font(fontName(role)).fontSize(size).fillColor(color)
}

export function contentWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right
}

export function contentBottom(pdf: Pdf): number {
  return pdf.page.height - pdf.page.margins.bottom
}

export function orientationOf(pdf: Pdf): Orientation {
  return pdf.page.width > pdf.page.height ? 'landscape' : 'portrait'
}

export function addPage(pdf: Pdf, layout: Orientation = 'portrait'): void {
  pdf.addPage({ size: PAGE_SIZE, layout, margins: MARGINS })
}

/** Starts a new page when fewer than `height` points are left (or the page has the wrong orientation). */
export function ensureSpace(pdf: Pdf, height: number, layout: Orientation = 'portrait'): void {
  if (orientationOf(pdf) !== layout || pdf.y + height > contentBottom(pdf)) addPage(pdf, layout)
}

/** The text a block carries, cleaned for print: no control characters, no bidi overrides. */
export function printable(text: string): string {
  return displayLines(text)
}

/** `text` cut to `width` at the current font, ending in "…" when cut (one line: footers, contents). */
export function fitLine(pdf: Pdf, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text
  const chars = [...text]
  let lo = 0
  let hi = chars.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (pdf.widthOfString(chars.slice(0, mid).join('') + '…') <= width) lo = mid
    else hi = mid - 1
  }
  return chars.slice(0, lo).join('').trimEnd() + '…'
}
