/**
 * HELM's statistic record (helm/benchmark/metrics/statistic.py `Stat`, as written to a run's
 * `stats.json`): count, sum, sum of squares, min, max, and mean, population variance and SD,
 * under a `name` of `{ name, split }`. Values are added in the order given, so the mean is the
 * same floating-point number as a left-to-right mean over the same values.
 */

export interface HelmStatName {
  name: string
  split: string
}

export interface HelmStat {
  name: HelmStatName
  count: number
  sum: number
  sum_squared: number
  min: number
  max: number
  mean: number
  variance: number
  stddev: number
}

/** The stat of `values` (at least one), as HELM computes it: variance = E[x²] − mean². */
export function helmStat(name: string, values: readonly number[], split = 'test'): HelmStat | null {
  if (values.length === 0) return null
  let sum = 0
  let sumSquared = 0
  let min = Infinity
  let max = -Infinity
  for (const x of values) {
    sum += x
    sumSquared += x * x
    if (x < min) min = x
    if (x > max) max = x
  }
  const count = values.length
  const mean = sum / count
  const variance = Math.max(0, sumSquared / count - mean * mean)
  return {
    name: { name, split },
    count,
    sum,
    sum_squared: sumSquared,
    min,
    max,
    mean,
    variance,
    stddev: Math.sqrt(variance),
  }
}

/**
 * HELM's `Stat.take_mean()`: the run-level stat a run's stats.json holds for a zero-shot, single-trial
 * run (helm metrics/metric.py: "We take the mean value for each trial") — count 1, the instance mean.
 */
export function takeMean(stat: HelmStat): HelmStat {
  return helmStat(stat.name.name, [stat.mean], stat.name.split)!
}
