import { binomialCdf } from './distributions'

/**
 * McNemar's exact test for two models scored 0/1 on the same instances (McNemar 1947; for comparing
 * two classifiers on one test set, Dietterich 1998). Only the discordant instances carry
 * information: b = right for A only, c = right for B only. Under "no difference" each discordant
 * instance is A's with probability ½, so the two-sided exact p is
 * min(1, 2 · P(Binomial(b + c, ½) ≤ min(b, c))); b + c = 0 gives p = 1. The mid-p variant
 * (Fagerland, Lydersen & Laake 2013) subtracts half the probability of the observed count.
 */
export interface McNemarResult {
  /** Instances right for A only. */
  b: number
  /** Instances right for B only. */
  c: number
  p: number
  midP: number
}

export function exactMcNemar(b: number, c: number): McNemarResult {
  for (const [name, v] of [
    ['b', b],
    ['c', c],
  ] as const)
    if (!(Number.isInteger(v) && v >= 0))
      throw new RangeError(`exactMcNemar: ${name} must be a whole number ≥ 0, got ${v}`)
  const n = b + c
  if (n === 0) return { b, c, p: 1, midP: 1 }
  const k = Math.min(b, c)
  const tail = binomialCdf(k, n, 0.5)
  const atK = tail - (k > 0 ? binomialCdf(k - 1, n, 0.5) : 0)
  return { b, c, p: Math.min(1, 2 * tail), midP: Math.min(1, 2 * (tail - atK / 2)) }
}

/** Discordant counts of two 0/1 score vectors over the same instances (same order). */
export function discordantCounts(a: ArrayLike<number>, b: ArrayLike<number>): { b: number; c: number } {
  if (a.length !== b.length)
    throw new RangeError('discordantCounts: the two models must have the same instances')
  let onlyA = 0
  let onlyB = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!
    const y = b[i]!
    if (x === 1 && y === 0) onlyA++
    else if (x === 0 && y === 1) onlyB++
  }
  return { b: onlyA, c: onlyB }
}

/** Whether every value is 0 or 1 (a binary metric: exact match, accuracy). */
export function isBinary(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return false
  return true
}
