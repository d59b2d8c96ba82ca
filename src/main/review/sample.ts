import { samplePositions, seededStream } from '../runs/sample'

/**
 * The items of a review set: `size` model outputs sampled with a seed, stratified across the run's
 * models — each model gets ⌊size / models⌋ items, the remainder going one each to models picked
 * with the seed; a model with fewer eligible outputs than its share gives what it has and the rest
 * is shared among the others. Within a model, outputs are drawn uniformly with the seed. The same
 * candidates, size and seed always give the same set.
 */

export interface Candidate {
  runItemId: number
  modelKey: string
}

/** A seeded permutation of `xs` (Fisher–Yates). */
export function seededShuffle<T>(xs: readonly T[], next: (n: number) => number): T[] {
  const out = [...xs]
  for (let i = out.length - 1; i > 0; i--) {
    const j = next(i + 1)
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** Items per model: as even as capacity allows, the remainder placed with the seed. */
export function stratumQuotas(
  capacity: ReadonlyMap<string, number>,
  size: number,
  next: (n: number) => number,
): Map<string, number> {
  const models = seededShuffle([...capacity.keys()].sort(), next)
  const quotas = new Map(models.map((m) => [m, 0]))
  let remaining = size
  for (;;) {
    const open = models.filter((m) => (quotas.get(m) as number) < (capacity.get(m) as number))
    if (remaining === 0 || open.length === 0) break
    const share = Math.floor(remaining / open.length)
    if (share === 0) {
      for (const m of open.slice(0, remaining)) quotas.set(m, (quotas.get(m) as number) + 1)
      break
    }
    for (const m of open) {
      const add = Math.min(share, (capacity.get(m) as number) - (quotas.get(m) as number))
      quotas.set(m, (quotas.get(m) as number) + add)
      remaining -= add
    }
  }
  return quotas
}

/**
 * Samples `size` of the candidates (given in a stable order: by model, then instance), stratified
 * by model. Returned by model key, then in the candidates' order. `label` separates the streams of
 * different sets (use the benchmark id).
 */
export function stratifiedSample(
  candidates: readonly Candidate[],
  size: number,
  seed: number,
  label: string,
): Candidate[] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`size must be a positive integer, got ${size}`)
  if (size > candidates.length)
    throw new RangeError(`size ${size} exceeds the ${candidates.length} outputs that can be reviewed`)
  const byModel = new Map<string, Candidate[]>()
  for (const c of candidates) {
    const list = byModel.get(c.modelKey) ?? []
    list.push(c)
    byModel.set(c.modelKey, list)
  }
  const quotas = stratumQuotas(
    new Map([...byModel].map(([m, list]) => [m, list.length])),
    size,
    seededStream(seed, `review-set:${label}:quotas`),
  )
  const out: Candidate[] = []
  for (const model of [...byModel.keys()].sort()) {
    const list = byModel.get(model) as Candidate[]
    const picked = samplePositions(list.length, quotas.get(model) ?? 0, seed, `review-set:${label}:${model}`)
    for (const p of picked) out.push(list[p] as Candidate)
  }
  return out
}
