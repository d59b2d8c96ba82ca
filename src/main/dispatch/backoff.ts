/** Longest wait between two tries of one item. */
export const MAX_BACKOFF_MS = 60_000

/**
 * Exponential backoff with jitter: before try n+1 (after n failed tries), wait base·2^(n−1),
 * capped, scaled by a random factor in [0.5, 1) so retries of many items do not arrive together.
 */
export function backoffDelay(
  failedAttempts: number,
  baseMs: number,
  random: () => number = Math.random,
): number {
  const exp = baseMs * 2 ** Math.max(0, failedAttempts - 1)
  const capped = Math.min(MAX_BACKOFF_MS, exp)
  return Math.round(capped * (0.5 + 0.5 * Math.min(Math.max(random(), 0), 0.999999)))
}
