import type { Pdf } from './layout'

/**
 * Tagged PDF: the structure a screen reader follows (sections, headings, paragraphs, lists,
 * tables with header cells, figures with their text alternative), and decoration — fills, rules,
 * leaders, page footers — marked as artifacts it skips.
 */
export type Struct = PDFKit.PDFStructureElement

/**
 * A new structure element of `type` under `parent`. With `draw`, that is its content and the
 * element is complete; without, the caller adds children and ends it.
 */
export function tag(
  pdf: Pdf,
  parent: Struct,
  type: string,
  draw?: () => void,
  options: PDFKit.Mixins.StructureElementOptions = {},
): Struct {
  const element = pdf.struct(type, options)
  parent.add(element)
  if (draw) {
    element.add(draw)
    element.end()
  }
  return element
}

/** Content that is decoration, not reading matter. */
export function artifact(pdf: Pdf, draw: () => void): void {
  pdf.markContent('Artifact')
  draw()
  pdf.endMarkedContent()
}
