import { AppError } from '../../errors'
import type { LongRating } from './icc-file'

/**
 * An ICC needs every rater to rate every target. Missing ratings are listed and refused; or, with
 * `drop`, the target or rater with the largest share missing is left out, again and again, until the
 * rest is complete (ties: a target before a rater, then the later in file order), and what was left
 * out is reported.
 */

export interface Incompleteness {
  targets: string[]
  raters: string[]
  /** Ratings present in the file but left out with the targets and raters dropped. */
  ratings: number
}

export interface CompleteRatings {
  rows: LongRating[]
  targets: string[]
  raters: string[]
  dropped: Incompleteness | null
}

const MAX_LISTED = 20

function missingCells(rows: readonly LongRating[], targets: readonly string[], raters: readonly string[]) {
  const have = new Set(rows.map((r) => `${r.target}\u0000${r.rater}`))
  const missing: [string, string][] = []
  for (const t of targets) for (const r of raters) if (!have.has(`${t}\u0000${r}`)) missing.push([t, r])
  return missing
}

export function dropIncomplete(file: string, all: readonly LongRating[], drop: boolean): CompleteRatings {
  const order = <K extends 'target' | 'rater'>(rows: readonly LongRating[], key: K) => [
    ...new Set(rows.map((r) => r[key])),
  ]
  let targets = order(all, 'target')
  let raters = order(all, 'rater')
  const missing = missingCells(all, targets, raters)
  if (missing.length === 0) return { rows: [...all], targets, raters, dropped: null }
  if (!drop) {
    const listed = missing
      .slice(0, MAX_LISTED)
      .map(([t, r]) => `  target "${t}": no rating from rater "${r}"`)
    const more = missing.length > MAX_LISTED ? `\n  … and ${missing.length - MAX_LISTED} more` : ''
    throw new AppError(
      'bad_data',
      `${file}: ${missing.length} rating(s) missing — an ICC needs every rater to rate every target (pass --drop-incomplete to leave out incomplete targets and raters):\n${listed.join('\n')}${more}`,
    )
  }
  const droppedTargets: string[] = []
  const droppedRaters: string[] = []
  let rows = [...all]
  for (;;) {
    const gaps = missingCells(rows, targets, raters)
    if (gaps.length === 0) break
    const worst = (names: string[], pick: (g: [string, string]) => string, of: number) => {
      let best: { name: string; share: number } | null = null
      for (const name of names) {
        const share = gaps.filter((g) => pick(g) === name).length / of
        if (!best || share >= best.share) best = { name, share }
      }
      return best as { name: string; share: number }
    }
    const t = worst(targets, (g) => g[0], raters.length)
    const r = worst(raters, (g) => g[1], targets.length)
    if (t.share >= r.share) {
      droppedTargets.push(t.name)
      targets = targets.filter((x) => x !== t.name)
    } else {
      droppedRaters.push(r.name)
      raters = raters.filter((x) => x !== r.name)
    }
    rows = rows.filter((x) => targets.includes(x.target) && raters.includes(x.rater))
  }
  const dropped = { targets: droppedTargets, raters: droppedRaters, ratings: all.length - rows.length }
  if (targets.length < 2 || raters.length < 2)
    throw new AppError(
      'bad_data',
      `${file}: after leaving out the incomplete targets (${droppedTargets.length}) and raters (${droppedRaters.length}), ${targets.length} target(s) × ${raters.length} rater(s) remain; an ICC needs at least 2 × 2`,
    )
  return { rows, targets, raters, dropped }
}
