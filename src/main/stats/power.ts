import { normalQuantile } from './distributions'

/**
 * Sample size and power for comparing two models' accuracy on the same instances with McNemar's
 * test (Connor 1987, Biometrics 43:207): with ψ the expected share of discordant instances (one
 * model right, the other wrong) and δ the difference in accuracy worth detecting,
 * n = [z_{1−α/2} · √ψ + z_{1−β} · √(ψ − δ²)]² / δ². Connor's example: ψ = 0.2, δ = 0.1, α = 0.05,
 * power 0.8 → 154.6, so 155 instances. The reverse solves the same equation for δ given n.
 * When ψ is not known from earlier runs, it is taken as if the two models erred independently:
 * ψ = p₁(1 − p₂) + p₂(1 − p₁), with p₁ the baseline accuracy and p₂ = p₁ ± δ.
 */

export interface PowerSettings {
  /** Two-sided significance level (default 0.05). */
  alpha?: number
  /** 1 − β (default 0.8). */
  power?: number
}

function zs(s: PowerSettings): { za: number; zb: number } {
  const alpha = s.alpha ?? 0.05
  const power = s.power ?? 0.8
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must lie strictly between 0 and 1, got ${alpha}`)
  if (!(power > 0 && power < 1)) throw new RangeError(`power must lie strictly between 0 and 1, got ${power}`)
  return { za: normalQuantile(1 - alpha / 2), zb: normalQuantile(power) }
}

/** Connor's n (not rounded); throws when δ is impossible for ψ (|δ| ≤ ψ ≤ 1 must hold). */
export function mcnemarSampleSizeExact(
  discordance: number,
  difference: number,
  s: PowerSettings = {},
): number {
  const psi = discordance
  const d = Math.abs(difference)
  if (!(psi > 0 && psi <= 1)) throw new RangeError(`the discordant share must lie in (0, 1], got ${psi}`)
  if (!(d > 0)) throw new RangeError(`the difference must be greater than 0, got ${difference}`)
  if (d > psi)
    throw new RangeError(
      `a difference of ${d} needs at least that share of discordant instances; ${psi} is too small`,
    )
  const { za, zb } = zs(s)
  return (za * Math.sqrt(psi) + zb * Math.sqrt(psi - d * d)) ** 2 / (d * d)
}

/** Instances needed (rounded up). */
export function mcnemarSampleSize(discordance: number, difference: number, s: PowerSettings = {}): number {
  return Math.ceil(mcnemarSampleSizeExact(discordance, difference, s) - 1e-9)
}

/** ψ if the two models erred independently, with accuracies p1 and p2. */
export function independentDiscordance(p1: number, p2: number): number {
  for (const p of [p1, p2])
    if (!(p >= 0 && p <= 1)) throw new RangeError(`an accuracy must lie in [0, 1], got ${p}`)
  return p1 * (1 - p2) + p2 * (1 - p1)
}

/** The second model's accuracy: baseline + δ, or baseline − δ where that would pass 1. */
function otherAccuracy(baseline: number, d: number): number {
  return baseline + d <= 1 ? baseline + d : baseline - d
}

/** ψ to use: the given one, or the independence value for this baseline and δ. */
export function discordanceFor(d: number, given: { discordance?: number; baseline?: number }): number {
  if (given.discordance !== undefined) return given.discordance
  if (given.baseline === undefined) throw new RangeError('give the discordant share or a baseline accuracy')
  return independentDiscordance(given.baseline, otherAccuracy(given.baseline, d))
}

/**
 * The smallest difference detectable with n paired instances (bisection on Connor's equation);
 * null when even the largest possible difference needs more than n.
 */
export function mcnemarDetectableDifference(
  n: number,
  given: { discordance?: number; baseline?: number },
  s: PowerSettings = {},
): number | null {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`n must be a whole number above 0, got ${n}`)
  const need = (d: number) => mcnemarSampleSizeExact(discordanceFor(d, given), d, s)
  const max =
    given.discordance !== undefined ? given.discordance : Math.max(given.baseline!, 1 - given.baseline!)
  let hi = max
  if (!(hi > 0) || need(hi) > n) return null
  let lo = 0
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (mid > 0 && need(mid) <= n) hi = mid
    else lo = mid
  }
  return hi
}
