import { seededStream } from '../runs/sample'
import { seededShuffle, type Candidate } from './sample'

/**
 * A reviewer's own order of a review set: seeded by the set's seed and the reviewer, so it is the
 * same every time the reviewer comes back, different from other reviewers', and it interleaves the
 * models — rounds of one output per model, in a seeded order per round, never starting a round
 * with the model that ended the previous one (when the round has another). Reviewers cannot infer
 * a model from where an output sits, and no model's outputs come in a run.
 */
export function reviewerOrder<T extends Candidate>(
  items: readonly T[],
  seed: number,
  setId: number,
  reviewerId: number,
): T[] {
  const label = `review-order:${setId}:${reviewerId}`
  const queues = new Map<string, T[]>()
  for (const model of [...new Set(items.map((i) => i.modelKey))].sort()) {
    const mine = items.filter((i) => i.modelKey === model)
    queues.set(model, seededShuffle(mine, seededStream(seed, `${label}:${model}`)))
  }
  const next = seededStream(seed, `${label}:rounds`)
  const out: T[] = []
  let last: string | null = null
  for (;;) {
    const open = [...queues.keys()].filter((m) => (queues.get(m) as T[]).length > 0)
    if (open.length === 0) break
    const round = seededShuffle(open, next)
    if (round.length > 1 && round[0] === last) {
      const j = 1 + next(round.length - 1)
      ;[round[0], round[j]] = [round[j] as string, round[0] as string]
    }
    for (const m of round) {
      out.push((queues.get(m) as T[]).shift() as T)
      last = m
    }
  }
  return out
}
