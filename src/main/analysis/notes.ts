import type { LeaderboardCell, LeaderboardColumn, LeaderboardRow } from '../../shared/api/leaderboard'

/** Plain-language caveats about a leaderboard: what is partial, unknown or not comparable. */
export function leaderboardNotes(
  columns: readonly LeaderboardColumn[],
  cells: readonly LeaderboardCell[],
  rows: readonly LeaderboardRow[],
): string[] {
  const notes: string[] = []
  const partial = cells.filter((c) => c.partial)
  if (partial.length)
    notes.push(
      `${partial.length} of ${cells.length} cells are partial: some instances are unscored, failed or not scored yet; each mean covers only the instances scored ok (see the counts).`,
    )
  const empty = cells.filter((c) => c.value === null).length
  if (empty)
    notes.push(
      `${empty} cells have no scored instance and no value; they are left out of win rates and averages.`,
    )
  if (rows.length === 1)
    notes.push(
      'With one model there is no one to win against: a mean win rate needs 2 models on a benchmark.',
    )
  for (const col of columns.filter((c) => c.versions.length > 1))
    notes.push(
      `${col.benchmarkName}: models were scored on different versions (${col.versions.join(', ')}), so its cells are not strictly comparable.`,
    )
  const missingModel = cells.reduce((n, c) => n + c.cost.model.missingTokens, 0)
  if (missingModel)
    notes.push(
      `${missingModel} model answers have no token counts (the server did not report them): the cost of their cells is unknown, not 0.`,
    )
  const missingJury = cells.reduce((n, c) => n + c.cost.jury.missingTokens, 0)
  if (missingJury)
    notes.push(
      `${missingJury} jury verdicts have no recorded judge token counts: the jury cost of their cells is unknown, not 0.`,
    )
  const unpriced = [
    ...new Set(cells.flatMap((c) => [...c.cost.model.unpriced, ...c.cost.jury.unpriced])),
  ].sort()
  if (unpriced.length)
    notes.push(`No price is set for ${unpriced.join(', ')}: costs that need it are unknown until one is set.`)
  return notes
}
