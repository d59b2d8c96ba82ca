/**
 * Label sizes without a browser: Helvetica's advance widths (per 1000 units of the em, the standard
 * AFM), so margins are computed the same on the screen, in jsdom (the report) and in the PDF.
 */

// ASCII 32 (space) to 126 (~).
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]
/** Anything outside ASCII (é, –, µ, CJK…): a wide guess, so it is never under-measured. */
const OTHER = 700

/** Width in px of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number): number {
  let units = 0
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0
    units += code >= 32 && code <= 126 ? (WIDTHS[code - 32] ?? OTHER) : OTHER
  }
  return (units * fontSize) / 1000
}

/** `text` cut to fit `maxWidth` px with an ellipsis (unchanged when it fits). */
export function truncateText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text
  const chars = [...text]
  let lo = 0
  let hi = chars.length
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (textWidth(`${chars.slice(0, mid).join('')}…`, fontSize) <= maxWidth) lo = mid
    else hi = mid - 1
  }
  return `${chars.slice(0, lo).join('')}…`
}

/** The widest of `texts` in px. */
export function widest(texts: readonly string[], fontSize: number): number {
  return texts.reduce((w, t) => Math.max(w, textWidth(t, fontSize)), 0)
}
