/**
 * HELM's mean win rate, `compute_aggregate_row_win_rates` (stanford-crfm/helm
 * src/helm/benchmark/presentation/summarize.py lines 225-269), exactly:
 *
 * - a column whose direction is unknown (`lowerIsBetter: null`) is skipped;
 * - a column with fewer than 2 values is skipped;
 * - in a column, a row's wins = rows with a strictly worse value + (rows tied with it − 1) / 2,
 *   and its win rate = wins / (values in the column − 1);
 * - a row without a value in a column gets no entry for it (neither penalised nor rewarded);
 * - a row's mean win rate is the mean of its entries; null when it has none.
 */

export interface WinRateColumn {
  /** true: lower values are better (e.g. runtime); false: higher; null: no ordering (skipped). */
  lowerIsBetter: boolean | null
  /** One value per row, null where the row has none. */
  values: readonly (number | null)[]
}

export interface RowWinRate {
  /** Mean over the columns the row takes part in; null when it takes part in none. */
  winRate: number | null
  /** The row's win rate in each column (null: column skipped or no value). */
  perColumn: (number | null)[]
  /** Columns the mean is taken over. */
  columns: number
}

/** Win rate of each row in one column; null for rows without a value or when the column is skipped. */
export function columnWinRates(column: WinRateColumn): (number | null)[] {
  const none = column.values.map(() => null)
  if (column.lowerIsBetter === null) return none
  const counts = new Map<number, number>()
  for (const v of column.values) {
    if (v === null) continue
    if (!Number.isFinite(v)) throw new RangeError(`a win-rate value must be a finite number, got ${v}`)
    counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  // From worst to best: ascending when higher is better, descending when lower is better.
  const ordered = [...counts.entries()].sort((a, b) => (column.lowerIsBetter ? b[0] - a[0] : a[0] - b[0]))
  const wins = new Map<number, number>()
  let worse = 0
  for (const [value, count] of ordered) {
    wins.set(value, worse + (count - 1) / 2)
    worse += count
  }
  const n = worse
  if (n < 2) return none
  return column.values.map((v) => (v === null ? null : wins.get(v)! / (n - 1)))
}

export function aggregateWinRates(rowCount: number, columns: readonly WinRateColumn[]): RowWinRate[] {
  for (const [i, c] of columns.entries())
    if (c.values.length !== rowCount)
      throw new RangeError(`win-rate column ${i} has ${c.values.length} values for ${rowCount} rows`)
  const perColumn = columns.map(columnWinRates)
  return Array.from({ length: rowCount }, (_, row) => {
    const mine = perColumn.map((rates) => rates[row] ?? null)
    const present = mine.filter((x): x is number => x !== null)
    return {
      winRate: present.length === 0 ? null : present.reduce((s, x) => s + x, 0) / present.length,
      perColumn: mine,
      columns: present.length,
    }
  })
}
