/**
 * The Pareto frontier of cost (or time) against performance: the models no other model beats on
 * both at once — none is at least as cheap and at least as good, and better on one of the two.
 * Returned from the cheapest up, each better than the one before.
 */
export function paretoFrontier<T>(points: readonly T[], x: (p: T) => number, y: (p: T) => number): T[] {
  const sorted = [...points].sort((a, b) => x(a) - x(b) || y(b) - y(a))
  const out: T[] = []
  for (const p of sorted) if (out.length === 0 || y(p) > y(out[out.length - 1]!)) out.push(p)
  return out
}
