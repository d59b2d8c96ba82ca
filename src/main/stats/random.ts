import { createHash } from 'node:crypto'

/**
 * A fast seeded pseudo-random generator for resampling (bootstrap, permutation tests): xoshiro128**
 * (Blackman & Vigna 2018), its 128-bit state taken from sha256(seed, label). The same seed and label
 * give the same stream on every machine; different labels give independent streams. For choosing
 * instances or review items, `seededStream` in runs/sample.ts (sha256 counter, unbiased) is used;
 * this one is for the millions of draws a bootstrap makes.
 */
export interface Rng {
  /** A uniform 32-bit unsigned integer. */
  nextU32(): number
  /** A uniform float in [0, 1). */
  next(): number
  /** A uniform integer in [0, n), n ≤ 2^32 (multiply-shift; bias below n / 2^32). */
  int(n: number): number
  /** `count` uniform integers in [0, n) into `out` (as `int`, without a call per draw: for resampling). */
  fillInts(out: Int32Array, count: number, n: number): void
}

export function seededRng(seed: number, label = ''): Rng {
  const h = createHash('sha256').update(`xoshiro128**\u0000${seed}\u0000${label}`).digest()
  let a = h.readUInt32LE(0)
  let b = h.readUInt32LE(4)
  let c = h.readUInt32LE(8)
  let d = h.readUInt32LE(12)
  if ((a | b | c | d) === 0) a = 1
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 11)
    return result
  }
  const fillInts = (out: Int32Array, count: number, n: number) => {
    for (let i = 0; i < count; i++) out[i] = Math.floor((nextU32() / 0x1_0000_0000) * n)
  }
  return {
    nextU32,
    next: () => nextU32() / 0x1_0000_0000,
    int: (n: number) => Math.floor((nextU32() / 0x1_0000_0000) * n),
    fillInts,
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
