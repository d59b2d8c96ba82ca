/**
 * A small deterministic generator (mulberry32) of numbers in [0, 1), for tests that generate many
 * cases: the same seed gives the same cases, so a failure names a reproducible one.
 */
export function seeded(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
