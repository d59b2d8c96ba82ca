import { JURY_SCORE_MAX, JURY_SCORE_MIN } from './criteria'

/**
 * An instance's jury score: the unweighted mean of its valid judge × criterion votes (HELM
 * LLMJuryMetric). With no valid vote the instance is **unscored** — never the 1.0 (MedHELM) or
 * 0.0 (HELM class default) that HELM substitutes — so the UI and exports can count and show it.
 * Normalised score = (mean − 1) / 4, the paper's 0–1 rescaling (SOM normalize_scores).
 */

export interface VoteRecord {
  judge: string
  criterion: string
  status: 'valid' | 'failed'
  /** 1–5 when valid, null when failed (jury_votes.score). */
  score: number | null
}

/**
 * Why an instance has no jury score. `all_judges_same_family`: the jury settings leave out the
 * judges of the evaluated model's family, and every judge is of it.
 */
export type UnscoredReason = 'no_votes' | 'all_votes_failed' | 'empty_response' | 'all_judges_same_family'

export type InstanceJuryScore =
  | { status: 'scored'; mean: number; normalized: number; validVotes: number; failedVotes: number }
  | {
      status: 'unscored'
      mean: null
      normalized: null
      validVotes: 0
      failedVotes: number
      reason: UnscoredReason
    }

/** (mean − 1) / 4: maps the 1–5 jury scale onto 0–1. */
export function normalizeJuryScore(mean: number): number {
  if (!(mean >= JURY_SCORE_MIN && mean <= JURY_SCORE_MAX))
    throw new RangeError(`a jury mean must lie in 1–5, got ${mean}`)
  return (mean - JURY_SCORE_MIN) / (JURY_SCORE_MAX - JURY_SCORE_MIN)
}

function checkVote(v: VoteRecord): void {
  if (v.status === 'valid') {
    if (
      v.score === null ||
      !Number.isInteger(v.score) ||
      v.score < JURY_SCORE_MIN ||
      v.score > JURY_SCORE_MAX
    )
      throw new RangeError(
        `a valid vote needs an integer score 1–5 (judge ${v.judge}, ${v.criterion}: ${String(v.score)})`,
      )
  } else if (v.score !== null) {
    throw new RangeError(`a failed vote has no score (judge ${v.judge}, ${v.criterion})`)
  }
}

/**
 * The jury score of one instance from all its votes. `emptyResponse`: the model produced no text,
 * so no judge was asked (HELM skips judging empty output too) and the instance is unscored.
 */
export function instanceJuryScore(
  votes: readonly VoteRecord[],
  options: { emptyResponse?: boolean } = {},
): InstanceJuryScore {
  votes.forEach(checkVote)
  const valid = votes.filter((v) => v.status === 'valid')
  const failedVotes = votes.length - valid.length
  if (options.emptyResponse)
    return {
      status: 'unscored',
      mean: null,
      normalized: null,
      validVotes: 0,
      failedVotes,
      reason: 'empty_response',
    }
  if (valid.length === 0)
    return {
      status: 'unscored',
      mean: null,
      normalized: null,
      validVotes: 0,
      failedVotes,
      reason: votes.length === 0 ? 'no_votes' : 'all_votes_failed',
    }
  const mean = valid.reduce((a, v) => a + (v.score as number), 0) / valid.length
  return {
    status: 'scored',
    mean,
    normalized: normalizeJuryScore(mean),
    validVotes: valid.length,
    failedVotes,
  }
}

export interface JurySummary {
  /** Mean over scored instances of the instance means (1–5), null when none is scored. */
  mean: number | null
  normalized: number | null
  scored: number
  unscored: number
  /** Unscored instances by reason. */
  unscoredBy: Record<UnscoredReason, number>
}

/** A benchmark's jury score over its instances; unscored instances are counted, not averaged in. */
export function summarizeJury(instances: readonly InstanceJuryScore[]): JurySummary {
  const scored = instances.filter(
    (i): i is Extract<InstanceJuryScore, { status: 'scored' }> => i.status === 'scored',
  )
  const unscoredBy: Record<UnscoredReason, number> = {
    no_votes: 0,
    all_votes_failed: 0,
    empty_response: 0,
    all_judges_same_family: 0,
  }
  for (const i of instances) if (i.status === 'unscored') unscoredBy[i.reason]++
  const mean = scored.length === 0 ? null : scored.reduce((a, i) => a + i.mean, 0) / scored.length
  return {
    mean,
    normalized: mean === null ? null : normalizeJuryScore(mean),
    scored: scored.length,
    unscored: instances.length - scored.length,
    unscoredBy,
  }
}
