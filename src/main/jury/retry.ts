import { parseJudgeOutput, type JudgeIssue, type JudgeRepair, type ParsedVote } from './parse'

/**
 * Asks one judge for its verdict, retrying an unusable answer: the first attempt plus up to
 * `maxRetries` more (default 2, as the issue asks). The request itself is injected (`ask`), so
 * this stays free of I/O; a request that throws (timeout, connection refused) counts as a failed
 * attempt too. The last raw text is kept for the failed vote's `raw_text`.
 */

export interface JudgeAttempt {
  raw: string | null
  issues: JudgeIssue[]
  requestError?: string
}

export type JudgeVerdict =
  | { status: 'valid'; votes: ParsedVote[]; repairs: JudgeRepair[]; attempts: JudgeAttempt[]; raw: string }
  | { status: 'failed'; attempts: JudgeAttempt[]; raw: string | null; issues: JudgeIssue[] }

export async function judgeWithRetries(options: {
  ask: (attempt: number) => Promise<string>
  criteria: readonly string[]
  maxRetries?: number
}): Promise<JudgeVerdict> {
  const maxRetries = options.maxRetries ?? 2
  if (!Number.isInteger(maxRetries) || maxRetries < 0)
    throw new RangeError('maxRetries must be a whole number ≥ 0')
  const attempts: JudgeAttempt[] = []
  for (let attempt = 0; attempt <= maxRetries; attempt++) {
    let raw: string
    try {
      raw = await options.ask(attempt)
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      attempts.push({ raw: null, issues: [], requestError: message })
      continue
    }
    const parsed = parseJudgeOutput(raw, options.criteria)
    if (parsed.ok) {
      attempts.push({ raw, issues: [] })
      return { status: 'valid', votes: parsed.votes, repairs: parsed.repairs, attempts, raw }
    }
    attempts.push({ raw, issues: parsed.issues })
  }
  const lastWithText = [...attempts].reverse().find((a) => a.raw !== null)
  const last = attempts[attempts.length - 1] as JudgeAttempt
  return {
    status: 'failed',
    attempts,
    raw: lastWithText?.raw ?? null,
    issues: last.requestError !== undefined ? [] : last.issues,
  }
}
