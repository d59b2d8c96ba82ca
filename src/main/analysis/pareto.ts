/**
 * The cost-performance Pareto frontier: the points no other point beats on both axes (costs no more
 * and scores at least as high, better on one). Points without a cost or a score are never on it.
 */
export interface ParetoPoint {
  key: string
  cost: number | null
  score: number | null
}

export function paretoFrontier(points: readonly ParetoPoint[]): Set<string> {
  const known = points.filter(
    (p): p is ParetoPoint & { cost: number; score: number } => p.cost !== null && p.score !== null,
  )
  const dominated = (p: { cost: number; score: number }) =>
    known.some((q) => q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score))
  return new Set(known.filter((p) => !dominated(p)).map((p) => p.key))
}
