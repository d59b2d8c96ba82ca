/**
 * z-scores of one rater's ratings: (x − mean) / sd, with the population standard deviation
 * (scipy.stats.zscore's default). MedHELM z-scores each rater's ratings before the ICC, so a
 * rater who is strict or lenient throughout, or who uses a narrow part of the scale, is compared
 * on the same footing. (Every rater is scaled by the same n/(n−1) factor whichever deviation is
 * used, so the ICC does not depend on that choice.)
 */
export function zScores(values: readonly number[]): number[] {
  if (values.length < 2) throw new RangeError(`z-scores need at least 2 values, got ${values.length}`)
  values.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`z-scores: value ${i} is not a finite number`)
  })
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const sd = Math.sqrt(values.reduce((a, x) => a + (x - mean) ** 2, 0) / values.length)
  if (sd === 0) throw new RangeError('z-scores: every value is the same (standard deviation 0)')
  return values.map((x) => (x - mean) / sd)
}

/** Whether the values vary at all (z-scores are defined). */
export function hasSpread(values: readonly number[]): boolean {
  return values.length >= 2 && values.some((x) => x !== values[0])
}
