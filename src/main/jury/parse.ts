import { stripReasoning } from '../scoring/response-text'
import { JURY_SCORE_MAX, JURY_SCORE_MIN } from './criteria'

/**
 * Strict parsing of a judge's answer, with repair of the common harmless faults and no silent
 * clamping.
 *
 * Repairs (each recorded in `repairs`): reasoning blocks removed; a markdown code fence removed;
 * prose around the JSON object dropped (HELM: greedy first "{" to last "}"); missing closing
 * braces appended (HELM appends one "}" on "Expecting ',' delimiter"); criterion keys matched
 * case-insensitively; an integer written as a string ("4") read as the integer.
 *
 * Never repaired: a score outside 1–5 (0 is what HELM's example shows and judges copy), a
 * non-integer or non-numeric score, a missing criterion, score or explanation. Those make the
 * vote a failure carrying the raw text; the caller retries, then records the vote as failed.
 */

export type JudgeIssueCode =
  | 'empty_output'
  | 'no_json'
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_criterion'
  | 'invalid_criterion'
  | 'missing_score'
  | 'non_numeric_score'
  | 'non_integer_score'
  | 'score_out_of_range'
  | 'missing_explanation'

export interface JudgeIssue {
  code: JudgeIssueCode
  message: string
  criterion?: string
}

export type JudgeRepair =
  | 'removed_reasoning'
  | 'removed_code_fence'
  | 'removed_text_around_json'
  | 'added_closing_brace'
  | 'matched_key_case'
  | 'score_from_string'

export interface ParsedVote {
  criterion: string
  score: number
  explanation: string
}

export type JudgeParseResult =
  | { ok: true; votes: ParsedVote[]; repairs: JudgeRepair[] }
  | { ok: false; issues: JudgeIssue[]; votes: ParsedVote[]; repairs: JudgeRepair[]; raw: string }

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/** Number of "{" not closed by a "}", ignoring braces inside JSON strings; null if a string is open. */
function unclosedBraces(text: string): number | null {
  let depth = 0
  let inString = false
  let escaped = false
  for (const ch of text) {
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '{') depth++
    else if (ch === '}') depth--
  }
  return inString ? null : depth
}

/** Index of the "}" closing the "{" at `start`, skipping braces inside JSON strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0
  let inString = false
  let escaped = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
      continue
    }
    if (ch === '"') inString = true
    else if (ch === '{') depth++
    else if (ch === '}' && --depth === 0) return i
  }
  return -1
}

function hasCriterionKey(value: unknown, criteria: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = new Set(Object.keys(value).map((k) => k.trim().toLowerCase()))
  return criteria.some((c) => keys.has(c.toLowerCase()))
}

/** Finds the JSON object in the text, applying the repairs in order. */
function locateObject(
  text: string,
  criteria: readonly string[],
  repairs: JudgeRepair[],
): { ok: true; value: unknown } | { ok: false; issue: JudgeIssue } {
  const direct = tryParse(text)
  if (direct.ok) return direct

  let body = text
  const fence = /```[a-zA-Z]*\s*\n?([\s\S]*?)(?:```|$)/.exec(body)
  if (fence?.[1] !== undefined && fence[1].includes('{')) {
    body = fence[1].trim()
    repairs.push('removed_code_fence')
    const fenced = tryParse(body)
    if (fenced.ok) return fenced
  }

  const first = body.indexOf('{')
  if (first === -1)
    return { ok: false, issue: { code: 'no_json', message: 'the judge answer contains no JSON object' } }
  const last = body.lastIndexOf('}')
  const candidate = last > first ? body.slice(first, last + 1) : body.slice(first)
  const trimmed = candidate.length !== body.length
  const around = tryParse(candidate)
  if (around.ok) {
    if (trimmed) repairs.push('removed_text_around_json')
    return around
  }

  // Missing closing braces: append as many as are open (at most 3) to everything from the first
  // "{" (an answer cut off mid-object), then to the greedy candidate.
  for (const attempt of [body.slice(first).trimEnd(), candidate]) {
    const open = unclosedBraces(attempt)
    if (open !== null && open > 0 && open <= 3) {
      const closed = tryParse(attempt + '}'.repeat(open))
      if (closed.ok) {
        if (first > 0 || (attempt === candidate && trimmed)) repairs.push('removed_text_around_json')
        repairs.push('added_closing_brace')
        return closed
      }
    }
  }
  // Prose after the object that itself contains braces defeats the greedy match: try each
  // balanced {…} span in turn.
  for (let start = body.indexOf('{'); start !== -1; start = body.indexOf('{', start + 1)) {
    const end = matchingBrace(body, start)
    if (end === -1) continue
    const span = tryParse(body.slice(start, end + 1))
    if (span.ok && hasCriterionKey(span.value, criteria)) {
      repairs.push('removed_text_around_json')
      return span
    }
  }

  return {
    ok: false,
    issue: { code: 'invalid_json', message: 'the judge answer is not valid JSON, even after repair' },
  }
}

function readScore(raw: unknown, criterion: string, repairs: JudgeRepair[]): number | JudgeIssue {
  let value: number
  if (typeof raw === 'number') value = raw
  else if (typeof raw === 'string' && /^\s*-?\d+(?:\.\d+)?\s*$/.test(raw)) {
    value = Number(raw)
    if (!repairs.includes('score_from_string')) repairs.push('score_from_string')
  } else if (raw === undefined || raw === null) {
    return { code: 'missing_score', message: `"${criterion}" has no score`, criterion }
  } else {
    return {
      code: 'non_numeric_score',
      message: `the score of "${criterion}" is not a number: ${JSON.stringify(raw).slice(0, 40)}`,
      criterion,
    }
  }
  if (!Number.isFinite(value))
    return {
      code: 'non_numeric_score',
      message: `the score of "${criterion}" is not a finite number`,
      criterion,
    }
  if (!Number.isInteger(value))
    return {
      code: 'non_integer_score',
      message: `the score of "${criterion}" is ${value}, not a whole number`,
      criterion,
    }
  if (value < JURY_SCORE_MIN || value > JURY_SCORE_MAX)
    return {
      code: 'score_out_of_range',
      message: `the score of "${criterion}" is ${value}, outside ${JURY_SCORE_MIN}–${JURY_SCORE_MAX}`,
      criterion,
    }
  return value
}

/**
 * Parses a judge's raw answer for the given criterion ids. `votes` holds the criteria that did
 * parse, also when `ok` is false, so a caller may show them; a retry replaces them all.
 */
export function parseJudgeOutput(raw: string, criteria: readonly string[]): JudgeParseResult {
  const repairs: JudgeRepair[] = []
  const fail = (issues: JudgeIssue[], votes: ParsedVote[] = []): JudgeParseResult => ({
    ok: false,
    issues,
    votes,
    repairs,
    raw,
  })
  const cleaned = stripReasoning(raw)
  if (cleaned !== raw) repairs.push('removed_reasoning')
  const text = cleaned.trim()
  if (text === '') return fail([{ code: 'empty_output', message: 'the judge returned no text' }])

  const found = locateObject(text, criteria, repairs)
  if (!found.ok) return fail([found.issue])
  const located = found.value
  if (typeof located !== 'object' || located === null || Array.isArray(located))
    return fail([{ code: 'not_an_object', message: 'the judge answer is JSON but not an object' }])

  const obj = located as Record<string, unknown>
  const byLower = new Map<string, string>()
  for (const k of Object.keys(obj)) byLower.set(k.trim().toLowerCase(), k)

  const votes: ParsedVote[] = []
  const issues: JudgeIssue[] = []
  for (const criterion of criteria) {
    let key = criterion in obj ? criterion : undefined
    if (key === undefined) {
      key = byLower.get(criterion.toLowerCase())
      if (key !== undefined && !repairs.includes('matched_key_case')) repairs.push('matched_key_case')
    }
    if (key === undefined) {
      issues.push({ code: 'missing_criterion', message: `the answer has no "${criterion}"`, criterion })
      continue
    }
    const entry = obj[key]
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      issues.push({
        code: 'invalid_criterion',
        message: `"${criterion}" is not an object with score and explanation`,
        criterion,
      })
      continue
    }
    const e = entry as Record<string, unknown>
    const score = readScore(e.score, criterion, repairs)
    if (typeof score !== 'number') {
      issues.push(score)
      continue
    }
    if (typeof e.explanation !== 'string') {
      issues.push({
        code: 'missing_explanation',
        message: `"${criterion}" has no explanation text`,
        criterion,
      })
      continue
    }
    votes.push({ criterion, score, explanation: e.explanation })
  }
  return issues.length === 0 ? { ok: true, votes, repairs } : fail(issues, votes)
}
