/**
 * How a table fits the page, decided before anything is drawn (pure: takes a measuring function).
 *
 * Column widths come from the content: each column wants its longest line (its natural width) and
 * can shrink to its longest word (its minimum). Numbers and intervals (right-aligned columns) never
 * wrap. A table wider than a portrait page tries a smaller type size, then a landscape page; a
 * table still too wide (20 models side by side) is split into column groups, each repeating the
 * first column, so every cell stays at a legible size instead of shrinking to unreadable print.
 */
import type { Orientation } from './layout'

export interface TableColumnSpec {
  label: string
  align: 'left' | 'right'
  cells: string[]
  /** Cells set in bold (the labels of a key–value list). */
  bold?: boolean
}

/** Width of a string at a type size (font chosen by the caller), bold (headers) or regular. */
export type Measure = (text: string, size: number, bold: boolean) => number

export interface TableAttempt {
  layout: Orientation
  size: number
  /** Usable width of a page of that orientation. */
  width: number
}

export interface TablePlan {
  layout: Orientation
  size: number
  /** Column indices per group; one group unless the table was split. Each starts with column 0. */
  groups: number[][]
  /** Widths (points, padding included) per group, matching `groups`. */
  widths: number[][]
}

export const CELL_PAD_X = 4
/** A single word wider than this wraps mid-word (hashes, long identifiers). */
const LONGEST_UNBROKEN = 110
/** A header word longer than this may break mid-word rather than widen its column. */
const HEADER_MIN = 60

interface ColumnNeed {
  min: number
  max: number
  /** Wide enough for the header on one line too (used when the whole table fits so). */
  ideal?: number
}

function needs(col: TableColumnSpec, size: number, measure: Measure): ColumnNeed {
  let max = 0
  let min = 0
  for (const cell of col.cells) {
    const bold = col.bold === true
    for (const line of cell.split('\n')) max = Math.max(max, measure(line, size, bold))
    if (col.align === 'right') min = max
    else for (const word of cell.split(/\s+/)) min = Math.max(min, measure(word, size, bold))
  }
  min = Math.min(min, LONGEST_UNBROKEN)
  const header = measure(col.label, size, true)
  const headerWord = Math.max(0, ...col.label.split(/\s+/).map((w) => measure(w, size, true)))
  // A header longer than its cells may take two lines rather than widen the column.
  max = Math.max(max, Math.min(header, Math.max(max, header * 0.55)))
  min = Math.max(min, Math.min(headerWord, HEADER_MIN))
  const pad = 2 * CELL_PAD_X + 0.5
  return { min: min + pad, max: Math.max(min, max) + pad, ideal: Math.max(min, max, header) + pad }
}

/**
 * Widths for columns in `avail` points, or null when even their minimums do not fit. Every column
 * starts at its minimum; the space left goes first to the columns that need least to reach their
 * natural width (a model name stays on one line), the rest is shared by the long-text columns.
 */
export function fitColumns(cols: ColumnNeed[], avail: number): number[] | null {
  const ideal = cols.map((c) => c.ideal ?? c.max)
  if (ideal.reduce((s, w) => s + w, 0) <= avail) return ideal
  const sumMax = cols.reduce((s, c) => s + c.max, 0)
  if (sumMax <= avail) return cols.map((c) => c.max)
  const sumMin = cols.reduce((s, c) => s + c.min, 0)
  if (sumMin > avail) return null
  const widths = cols.map((c) => c.min)
  const order = cols
    .map((_, i) => i)
    .sort((a, b) => cols[a]!.max - cols[a]!.min - (cols[b]!.max - cols[b]!.min))
  let left = avail - sumMin
  order.forEach((i, k) => {
    const give = Math.min(cols[i]!.max - cols[i]!.min, left / (order.length - k))
    widths[i]! += give
    left -= give
  })
  return widths
}

/**
 * Splits columns 1..n-1 into groups of even size beside column 0: the fewest groups in which
 * every cell fits on one line, else the fewest that fit at all.
 */
function splitColumns(all: ColumnNeed[], avail: number): { groups: number[][]; widths: number[][] } {
  const rest = all.length - 1
  const grouping = (count: number): number[][] => {
    const per = Math.ceil(rest / count)
    const groups: number[][] = []
    for (let start = 1; start <= rest; start += per)
      groups.push([0, ...Array.from({ length: Math.min(per, rest - start + 1) }, (_, i) => start + i)])
    return groups
  }
  const sum = (g: number[], k: 'min' | 'max') => g.reduce((s, i) => s + all[i]![k], 0)
  for (const k of ['max', 'min'] as const) {
    // More than twice the groups needed at minimum widths costs more pages than wrapping saves.
    for (let count = 2; count <= rest; count++) {
      const groups = grouping(count)
      if (groups.every((g) => sum(g, k) <= avail)) {
        const widths = groups.map((g) =>
          fitColumns(
            g.map((i) => all[i]!),
            avail,
          )!,
        )
        if (k === 'min' || count <= 2 * minimumGroups(all, avail)) return { groups, widths }
        break
      }
    }
  }
  // One body column per group and still too wide: squeeze to the page (cells wrap mid-word).
  const groups = Array.from({ length: Math.max(rest, 1) }, (_, i) => (rest === 0 ? [0] : [0, i + 1]))
  return {
    groups,
    widths: groups.map((g) =>
      squeeze(
        g.map((i) => all[i]!),
        avail,
      ),
    ),
  }
}

function minimumGroups(all: ColumnNeed[], avail: number): number {
  let used = all[0]!.min
  let groups = 1
  for (const c of all.slice(1)) {
    if (used + c.min > avail) {
      groups++
      used = all[0]!.min
    }
    used += c.min
  }
  return groups
}

function squeeze(cols: ColumnNeed[], avail: number): number[] {
  const sum = cols.reduce((s, c) => s + c.min, 0)
  return cols.map((c) => (c.min * avail) / sum)
}

export function planTable(columns: TableColumnSpec[], attempts: TableAttempt[], measure: Measure): TablePlan {
  const all = columns.map((_, i) => i)
  for (const attempt of attempts) {
    const widths = fitColumns(
      columns.map((c) => needs(c, attempt.size, measure)),
      attempt.width,
    )
    if (widths) return { layout: attempt.layout, size: attempt.size, groups: [all], widths: [widths] }
  }
  const last = attempts[attempts.length - 1]!
  const split = splitColumns(
    columns.map((c) => needs(c, last.size, measure)),
    last.width,
  )
  return { layout: last.layout, size: last.size, ...split }
}
