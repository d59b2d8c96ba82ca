/**
 * A normalized row as the store takes it (./normalize.ts, pushNormalized): ROW_VALUES values per
 * instance, in this order: ext_id, split, input, choices_json, references_json, metadata_json.
 * A module without imports: the CLI loads ./worker-rows.ts, which needs it, to start an import's
 * worker before anything else.
 */
export const ROW_VALUES = 6

/** The index of the split among a row's values. */
export const SPLIT_VALUE = 1
