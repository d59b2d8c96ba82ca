/**
 * A normalized row as the store takes it (./normalize.ts, pushNormalized): ROW_VALUES values per
 * instance, in this order: ext_id, split, input, choices_json, references_json, metadata_json.
 * A module without imports: the CLI loads ./worker-rows.ts, which needs it, to start an import's
 * worker before anything else.
 */
export const ROW_VALUES = 6

/** The index of the split among a row's values. */
export const SPLIT_VALUE = 1

/*
 * A batch crossing from the import worker to the storing thread (./worker-rows.ts) carries the
 * split every row has (most often all "test") once instead of in every row: a string less per row
 * to copy in each thread (0.02-0.06 s of each in a 300,000-row import, bench/cli-import.ts).
 */

/** Takes the split out of `values` (null in each row) when every row has the same; returns it, else null. */
export function takeSharedSplit(values: (string | null)[]): string | null {
  const split = values[SPLIT_VALUE]
  if (typeof split !== 'string') return null
  for (let v = SPLIT_VALUE + ROW_VALUES; v < values.length; v += ROW_VALUES)
    if (values[v] !== split) return null
  for (let v = SPLIT_VALUE; v < values.length; v += ROW_VALUES) values[v] = null
  return split
}

/** Puts back in every row the split takeSharedSplit took out (nothing to do when it returned null). */
export function restoreSharedSplit(values: (string | null)[], split: string | null): void {
  if (split === null) return
  for (let v = SPLIT_VALUE; v < values.length; v += ROW_VALUES) values[v] = split
}
