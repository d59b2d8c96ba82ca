import type { ReportBlock, ReportDoc } from '../doc'
import { REPORT_FONT_FILES, fontName, type FontRole } from './fonts'
import type { Pdf } from './layout'

/**
 * Characters the report's fonts cannot draw (an emoji or a CJK name, say) become "�", the
 * replacement character, instead of a blank box or a wrong glyph: the reader sees that something
 * could not be printed. Everything the app itself writes (− – ≥ ≤ × ψ δ κ ρ → …) is covered.
 */
interface GlyphFont {
  hasGlyphForCodePoint(codePoint: number): boolean
}

export function glyphChecker(pdf: Pdf): (text: string) => string {
  const fonts = (Object.keys(REPORT_FONT_FILES) as FontRole[]).map((role) => {
    pdf.font(fontName(role))
    return (pdf as unknown as { _font: { font: GlyphFont } })._font.font
  })
  const known = new Map<number, boolean>()
  const drawable = (cp: number): boolean => {
    let ok = known.get(cp)
    if (ok === undefined) {
      ok = cp === 10 || fonts.every((f) => f.hasGlyphForCodePoint(cp))
      known.set(cp, ok)
    }
    return ok
  }
  return (text) => {
    let out = ''
    for (const ch of text) out += drawable(ch.codePointAt(0)!) ? ch : '\ufffd'
    return out
  }
}

function coverBlock(block: ReportBlock, cover: (s: string) => string): ReportBlock {
  switch (block.kind) {
    case 'heading':
    case 'paragraph':
      return { ...block, text: cover(block.text) }
    case 'callout':
      return { ...block, text: cover(block.text) }
    case 'list':
      return { ...block, items: block.items.map(cover) }
    case 'keyValues':
      return { ...block, rows: block.rows.map((r) => ({ label: cover(r.label), value: cover(r.value) })) }
    case 'table':
      return {
        ...block,
        caption: cover(block.caption),
        note: block.note === undefined ? undefined : cover(block.note),
        columns: block.columns.map((c) => ({ ...c, label: cover(c.label) })),
        rows: block.rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, cover(v)]))),
      }
    case 'chart':
      return { ...block, title: cover(block.title), caption: cover(block.caption), alt: cover(block.alt) }
  }
}

/** The document with every printed string limited to what the fonts can draw. */
export function coverDoc(doc: ReportDoc, cover: (s: string) => string): ReportDoc {
  return {
    ...doc,
    title: cover(doc.title),
    subtitle: cover(doc.subtitle),
    appVersion: cover(doc.appVersion),
    sections: doc.sections.map((s) => ({
      ...s,
      title: cover(s.title),
      blocks: s.blocks.map((b) => coverBlock(b, cover)),
    })),
  }
}
