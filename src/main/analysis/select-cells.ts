import type { ItemCountRow, ScoreGroupRow } from './queries'
import { tripleKey } from './queries'

/**
 * Which run each model × benchmark cell comes from. Among the candidate runs, the latest (highest
 * id) that has scores of the benchmark's main metric for that model; with runs chosen explicitly
 * and none of them scored, the latest of them (its cell shows that nothing is scored yet). By
 * default (`requireScores`) a model × benchmark that no run has scored has no cell.
 */

export interface Candidate extends ItemCountRow {
  benchmarkId: string
  mainMetric: string
}

export function hasMainScores(c: Candidate, scores: ReadonlyMap<string, ScoreGroupRow[]>): boolean {
  return (scores.get(tripleKey(c)) ?? []).some((s) => s.metric === c.mainMetric)
}

export function selectCells(
  candidates: readonly Candidate[],
  scores: ReadonlyMap<string, ScoreGroupRow[]>,
  options: { requireScores: boolean },
): Candidate[] {
  const best = new Map<string, { c: Candidate; scored: boolean }>()
  for (const c of candidates) {
    const key = `${c.modelKey}\u0000${c.benchmarkId}`
    const scored = hasMainScores(c, scores)
    if (options.requireScores && !scored) continue
    const cur = best.get(key)
    if (!cur || (scored && !cur.scored) || (scored === cur.scored && c.runId > cur.c.runId))
      best.set(key, { c, scored })
  }
  return [...best.values()].map((b) => b.c)
}

/** Score rows by triple. */
export function scoresByTriple(rows: readonly ScoreGroupRow[]): Map<string, ScoreGroupRow[]> {
  return groupBy(rows, tripleKey)
}

/** Items in lists by key, in the order they come. */
export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = out.get(k)
    if (list) list.push(item)
    else out.set(k, [item])
  }
  return out
}
