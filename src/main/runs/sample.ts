import { createHash } from 'node:crypto'

/**
 * Seeded sampling of instances: the same seed, benchmark and instance list always give the same
 * sample, on every machine. The stream is sha256-counter based (no Math.random), and the sample
 * keeps the benchmark's own order.
 */

/** A deterministic stream of uniform integers in [0, n) from (seed, label). */
export function seededStream(seed: number, label: string): (n: number) => number {
  let counter = 0
  let pool: Buffer = Buffer.alloc(0)
  let offset = 0
  return (n: number) => {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`seededStream: n must be a positive integer, got ${n}`)
    // Rejection sampling on 32-bit words, so every value is equally likely.
    const limit = Math.floor(0x1_0000_0000 / n) * n
    for (;;) {
      if (offset + 4 > pool.length) {
        pool = createHash('sha256').update(`${seed}\u0000${label}\u0000${counter++}`).digest()
        offset = 0
      }
      const word = pool.readUInt32BE(offset)
      offset += 4
      if (word < limit) return word % n
    }
  }
}

/**
 * Picks `limit` of `count` positions (0-based) with the seed, returned in ascending order. With
 * no limit, or a limit of at least `count`, every position.
 */
export function samplePositions(count: number, limit: number | null, seed: number, label: string): number[] {
  if (limit === null || limit >= count) return Array.from({ length: count }, (_, i) => i)
  const next = seededStream(seed, label)
  // Partial Fisher–Yates over a sparse permutation.
  const swapped = new Map<number, number>()
  const picked: number[] = []
  for (let i = 0; i < limit; i++) {
    const j = i + next(count - i)
    const vi = swapped.get(i) ?? i
    const vj = swapped.get(j) ?? j
    swapped.set(j, vi)
    picked.push(vj)
  }
  return picked.sort((a, b) => a - b)
}
