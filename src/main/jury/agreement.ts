import type { VoteRecord } from './aggregate'

/**
 * Judge agreement for one benchmark: how far apart the judges are and how often they fail.
 *
 * - per judge: votes, failed votes and their share, mean valid score;
 * - `failedShare`: failed votes / all votes;
 * - `meanRange`: over instances where ≥ 2 judges have valid votes, the mean of (highest − lowest)
 *   per-judge instance mean — 0 when the judges always agree, up to 4;
 * - `meanAbsDiff` per judge pair and overall: mean |judge A's instance mean − judge B's|;
 * - `exactAgreement`: share of (instance, criterion) pairs with ≥ 2 valid votes on which every
 *   judge gave the same score.
 */

export interface InstanceVote extends VoteRecord {
  /** The run item (instance × model) the vote is about. */
  item: string | number
}

export interface JudgeStats {
  judge: string
  votes: number
  failed: number
  failedShare: number
  meanScore: number | null
}

export interface PairStats {
  judges: [string, string]
  instances: number
  meanAbsDiff: number | null
}

export interface JuryAgreement {
  votes: number
  failed: number
  failedShare: number | null
  judges: JudgeStats[]
  /** Instances where at least two judges have a valid mean. */
  comparableInstances: number
  meanRange: number | null
  meanAbsDiff: number | null
  pairs: PairStats[]
  exactAgreement: number | null
}

const mean = (xs: readonly number[]): number | null =>
  xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length

export function juryAgreement(votes: readonly InstanceVote[]): JuryAgreement {
  const judges = [...new Set(votes.map((v) => v.judge))].sort()
  const judgeStats: JudgeStats[] = judges.map((judge) => {
    const mine = votes.filter((v) => v.judge === judge)
    const failed = mine.filter((v) => v.status === 'failed').length
    return {
      judge,
      votes: mine.length,
      failed,
      failedShare: mine.length === 0 ? 0 : failed / mine.length,
      meanScore: mean(mine.filter((v) => v.status === 'valid').map((v) => v.score as number)),
    }
  })

  // Per item, per judge: mean of that judge's valid scores.
  const perItem = new Map<string, Map<string, number[]>>()
  const perCell = new Map<string, number[]>()
  for (const v of votes) {
    if (v.status !== 'valid' || v.score === null) continue
    const itemKey = `${typeof v.item}:${String(v.item)}`
    let m = perItem.get(itemKey)
    if (!m) perItem.set(itemKey, (m = new Map()))
    const list = m.get(v.judge) ?? []
    list.push(v.score)
    m.set(v.judge, list)
    const cellKey = `${itemKey}\u0000${v.criterion}`
    const cell = perCell.get(cellKey) ?? []
    cell.push(v.score)
    perCell.set(cellKey, cell)
  }

  const ranges: number[] = []
  const pairDiffs = new Map<string, number[]>()
  for (const m of perItem.values()) {
    const means = new Map([...m].map(([j, s]) => [j, mean(s) as number]))
    if (means.size < 2) continue
    const values = [...means.values()]
    ranges.push(Math.max(...values) - Math.min(...values))
    const js = [...means.keys()].sort()
    for (let a = 0; a < js.length; a++)
      for (let b = a + 1; b < js.length; b++) {
        const key = `${js[a]}\u0000${js[b]}`
        const list = pairDiffs.get(key) ?? []
        list.push(Math.abs((means.get(js[a] as string) as number) - (means.get(js[b] as string) as number)))
        pairDiffs.set(key, list)
      }
  }
  const pairs: PairStats[] = []
  for (let a = 0; a < judges.length; a++)
    for (let b = a + 1; b < judges.length; b++) {
      const diffs = pairDiffs.get(`${judges[a]}\u0000${judges[b]}`) ?? []
      pairs.push({
        judges: [judges[a] as string, judges[b] as string],
        instances: diffs.length,
        meanAbsDiff: mean(diffs),
      })
    }

  const cells = [...perCell.values()].filter((c) => c.length >= 2)
  const failed = votes.filter((v) => v.status === 'failed').length
  return {
    votes: votes.length,
    failed,
    failedShare: votes.length === 0 ? null : failed / votes.length,
    judges: judgeStats,
    comparableInstances: ranges.length,
    meanRange: mean(ranges),
    meanAbsDiff: mean([...pairDiffs.values()].flat()),
    pairs,
    exactAgreement:
      cells.length === 0 ? null : cells.filter((c) => c.every((s) => s === c[0])).length / cells.length,
  }
}
