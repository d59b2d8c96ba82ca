import type { MetricName } from '../../shared/benchmarks/pack'

/**
 * Scores on one 0–1 scale, as the MedHELM paper's analysis (som-shahlab/medhelm) does it. HELM
 * itself never normalises: the jury's main metric stays on 1–5.
 *
 * SOM `rescale_1_to_5` (src/medhelm/tables/1_win_rate_table.py lines 25-31), per column: a column
 * entirely within [0,1] is kept; one entirely within [1,5] becomes (x − 1) / 4; anything else is
 * kept. Its `normalize_scores` (plots/1_heatmap.py lines 75-79, "max > 1 → (x − 1) / 4") gives the
 * same result on every column a metric of ours can produce.
 *
 * The one column SOM's data-driven rule cannot place is one whose every value is exactly 1 (inside
 * both ranges): SOM keeps it, which would turn the worst jury score into a perfect 1.0. Here the
 * metric's nominal range (SOM `METRIC_RANGES`: [1,5] for the jury, [0,1] for the rest) decides it.
 */

export type MetricScale = '0-1' | '1-5'

export function metricScale(metric: MetricName | string): MetricScale {
  return metric === 'jury' ? '1-5' : '0-1'
}

const within = (values: readonly number[], lo: number, hi: number) => values.every((v) => v >= lo && v <= hi)

/** Whether SOM's rule rescales this column (given the metric's nominal scale for the all-1 case). */
export function rescalesColumn(values: readonly number[], scale: MetricScale): boolean {
  if (values.length === 0) return false
  if (!within(values, 1, 5)) return false
  return scale === '1-5' || !within(values, 0, 1)
}

export interface RescaledColumn {
  values: (number | null)[]
  rescaled: boolean
}

/** One column of cell values (null: no value) on 0–1. */
export function rescaleColumn(values: readonly (number | null)[], scale: MetricScale): RescaledColumn {
  const present = values.filter((v): v is number => v !== null)
  const rescaled = rescalesColumn(present, scale)
  return { values: values.map((v) => (v === null || !rescaled ? v : (v - 1) / 4)), rescaled }
}
