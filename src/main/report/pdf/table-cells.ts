import { displayText } from '../../../shared/display-text'

/** Cell text for print: one paragraph per line the author wrote, no control characters. */
export function tableText(text: string): string {
  return text
    .split('\n')
    .map((line) => displayText(line))
    .join('\n')
}

/**
 * A column whose every non-empty cell is a number, an interval, a percentage, a price or a
 * placeholder dash reads best right-aligned (used when the document does not say).
 */
const NUMERIC = /^[−–+-]?[$€£]?[\d.,]+\s*(%|s|ms|h|USD)?(\s*[([][−–-]?[\d.,]+\s*[–,-]\s*[−–-]?[\d.,]+[)\]])?$/
const PLACEHOLDER = /^[—–-]$|^n\/a$/i

export function numericColumn(cells: string[]): boolean {
  let numbers = 0
  for (const cell of cells) {
    const t = cell.trim()
    if (t === '' || PLACEHOLDER.test(t)) continue
    if (!NUMERIC.test(t)) return false
    numbers++
  }
  return numbers > 0
}
