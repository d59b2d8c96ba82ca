/**
 * Koo & Li (2016), "A guideline of selecting and reporting intraclass correlation coefficients for
 * reliability research", J Chiropr Med 15:155–163: an ICC below 0.5 is poor, 0.5–0.75 moderate,
 * 0.75–0.9 good and above 0.9 excellent; and the band is to be judged on the 95 % confidence
 * interval, not the point estimate. An interval from 0.62 to 0.81 is therefore "moderate to good".
 */

export const KOO_LI_BANDS = ['poor', 'moderate', 'good', 'excellent'] as const
export type KooLiBand = (typeof KOO_LI_BANDS)[number]

/** The band of one value: < 0.5 poor, 0.5 to < 0.75 moderate, 0.75 to 0.9 good, > 0.9 excellent. */
export function kooLiBand(x: number): KooLiBand {
  if (Number.isNaN(x)) throw new RangeError('kooLiBand: the value is NaN')
  if (x < 0.5) return 'poor'
  if (x < 0.75) return 'moderate'
  if (x <= 0.9) return 'good'
  return 'excellent'
}

export interface KooLiLabel {
  /** "moderate", or "moderate to good" when the interval spans bands. */
  label: string
  lower: KooLiBand
  upper: KooLiBand
  /** True when the label rests on the point estimate only (no interval). */
  pointOnly: boolean
}

/** The label of an ICC judged on its whole interval (or, without one, on the estimate, and says so). */
export function kooLiLabel(value: number, ci: readonly [number, number] | null): KooLiLabel {
  if (!ci) {
    const band = kooLiBand(value)
    return { label: `${band} (estimate only, no interval)`, lower: band, upper: band, pointOnly: true }
  }
  const lower = kooLiBand(Math.min(ci[0], ci[1]))
  const upper = kooLiBand(Math.max(ci[0], ci[1]))
  return { label: lower === upper ? lower : `${lower} to ${upper}`, lower, upper, pointOnly: false }
}
