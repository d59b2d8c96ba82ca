import {
  discordanceFor,
  mcnemarDetectableDifference,
  mcnemarSampleSize,
  mcnemarSampleSizeExact,
} from '../stats/power'

/**
 * `stats power` and the New-run form's hint: McNemar sample size for a difference worth detecting,
 * or the smallest difference detectable with n paired instances (Connor 1987, ../stats/power.ts).
 */
export interface PowerQuery {
  baseline?: number
  difference?: number
  discordance?: number
  n?: number
  power?: number
  alpha?: number
}

export interface PowerReport {
  alpha: number
  power: number
  baseline: number | null
  /** Share of discordant instances used, and where it comes from. */
  discordance: number | null
  discordanceSource: 'given' | 'independent errors' | 'earlier runs'
  /** Sample size for `difference` (rounded up; exact value beside it). */
  difference: number | null
  n: number | null
  nExact: number | null
  /** The smallest detectable difference for `n` (reverse question); null if none within reach. */
  detectableDifference: number | null
  sentence: string
}

const pct = (x: number) => x.toFixed(2)

export function powerReport(q: PowerQuery, givenSource: 'given' | 'earlier runs' = 'given'): PowerReport {
  const alpha = q.alpha ?? 0.05
  const power = q.power ?? 0.8
  const s = { alpha, power }
  const given = {
    ...(q.discordance !== undefined ? { discordance: q.discordance } : {}),
    ...(q.baseline !== undefined ? { baseline: q.baseline } : {}),
  }
  if (q.discordance === undefined && q.baseline === undefined)
    throw new RangeError(
      'give a baseline accuracy (--baseline) or the share of discordant instances (--discordance)',
    )
  const source = q.discordance !== undefined ? givenSource : 'independent errors'
  const base = { alpha, power, baseline: q.baseline ?? null, discordanceSource: source } as const
  if (q.n !== undefined && q.difference === undefined) {
    const d = mcnemarDetectableDifference(q.n, given, s)
    return {
      ...base,
      discordance: d === null ? (q.discordance ?? null) : discordanceFor(d, given),
      difference: null,
      n: q.n,
      nExact: null,
      detectableDifference: d,
      sentence:
        d === null
          ? `${q.n} paired instances are too few to detect any difference with ${Math.round(power * 100)}% power.`
          : `${q.n} paired instances per benchmark can detect differences of about ${pct(d)} (${Math.round(power * 100)}% power, α = ${alpha}).`,
    }
  }
  if (q.difference === undefined)
    throw new RangeError('give the difference worth detecting (--difference) or a number of instances (--n)')
  const psi = discordanceFor(q.difference, given)
  const nExact = mcnemarSampleSizeExact(psi, q.difference, s)
  const n = mcnemarSampleSize(psi, q.difference, s)
  return {
    ...base,
    discordance: psi,
    difference: q.difference,
    n,
    nExact,
    detectableDifference: null,
    sentence: `To detect a difference of ${pct(q.difference)} in accuracy with ${Math.round(power * 100)}% power at α = ${alpha}, score both models on ${n} of the same instances (discordant share ${pct(psi)}${source === 'given' ? '' : `, ${source === 'earlier runs' ? 'from earlier runs' : 'assuming independent errors'}`}).`,
  }
}
