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

/** Which side (target or rater) misses each cell, kept up to date as names are dropped. */
function gapIndex(missing: readonly [string, string][], side: 0 | 1): Map<string, Set<string>> {
  const index = new Map<string, Set<string>>()
  for (const g of missing) {
    const set = index.get(g[side]) ?? new Set<string>()
    set.add(g[1 - side] as string)
    index.set(g[side], set)
  }
  return index
}

/**
 * Drops, one at a time, the target or rater with the largest share of its cells missing (a target
 * on ties; among equals the later in file order) until no cell is missing.
 */
function greedyComplete(
  missing: readonly [string, string][],
  targetList: readonly string[],
  raterList: readonly string[],
) {
  const targets = new Set(targetList)
  const raters = new Set(raterList)
  const byTarget = gapIndex(missing, 0)
  const byRater = gapIndex(missing, 1)
  const droppedTargets: string[] = []
  const droppedRaters: string[] = []
  const worst = (names: Set<string>, index: Map<string, Set<string>>, of: number) => {
    let best = { name: '', share: -1 }
    for (const name of names) {
      const share = (index.get(name)?.size ?? 0) / of
      if (share >= best.share) best = { name, share }
    }
    return best
  }
  const drop = (name: string, own: Map<string, Set<string>>, other: Map<string, Set<string>>) => {
    for (const o of own.get(name) ?? []) other.get(o)?.delete(name)
    own.delete(name)
  }
  while ([...byTarget.values()].some((s) => s.size > 0)) {
    const t = worst(targets, byTarget, raters.size)
    const r = worst(raters, byRater, targets.size)
    if (t.share >= r.share) {
      targets.delete(t.name)
      droppedTargets.push(t.name)
      drop(t.name, byTarget, byRater)
    } else {
      raters.delete(r.name)
      droppedRaters.push(r.name)
      drop(r.name, byRater, byTarget)
    }
  }
  return { targets, raters, droppedTargets, droppedRaters }
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
  const kept = greedyComplete(missing, targets, raters)
  targets = targets.filter((t) => kept.targets.has(t))
  raters = raters.filter((r) => kept.raters.has(r))
  const rows = all.filter((x) => kept.targets.has(x.target) && kept.raters.has(x.rater))
  const droppedTargets = kept.droppedTargets
  const droppedRaters = kept.droppedRaters
  const dropped = { targets: droppedTargets, raters: droppedRaters, ratings: all.length - rows.length }
  if (targets.length < 2 || raters.length < 2)
    throw new AppError(
      'bad_data',
      `${file}: after leaving out the incomplete targets (${droppedTargets.length}) and raters (${droppedRaters.length}), ${targets.length} target(s) × ${raters.length} rater(s) remain; an ICC needs at least 2 × 2`,
    )
  return { rows, targets, raters, dropped }
}
