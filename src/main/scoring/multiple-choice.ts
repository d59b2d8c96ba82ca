import { optionLetter } from '../../shared/benchmarks/pack'
import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { stripMarkdownEmphasis, stripReasoning } from './response-text'

/**
 * Multiple-choice exact match (MedHELM `exact_match` for MedQA, MedMCQA, HeadQA, Medbullets,
 * PubMedQA, …).
 *
 * HELM's `multiple_choice_joint` adapter maps the stripped completion through `output_mapping`
 * ("C" → option text) and scores `gold.strip() == pred.strip()`; anything that is not exactly a
 * letter maps to None and scores 0. Local and reasoning models rarely answer with a bare letter, so
 * WardEval first extracts the letter from free text (see `extractOptionLetter`) and then applies the
 * same equality. A response with no recognisable letter scores 0, as in HELM, with the reason kept.
 */

export type LetterSource =
  | 'boxed' // \boxed{C}
  | 'answer_statement' // "Answer: C", "The answer is (C).", "The correct option is C"
  | 'whole_response' // "C", "(C)", "c."
  | 'leading_option' // "C. Metformin", "(C) Metformin"
  | 'last_line' // a bare letter alone on the last line
  | 'option_text' // the response is exactly one option's text

export interface LetterExtraction {
  letter: string
  source: LetterSource
}

const NOT_WORD_AFTER = '(?![A-Za-z0-9])'
const OPEN = '[(\\[]?'

const ANSWER_STATEMENTS: RegExp[] = [
  // "Answer: C", "Final answer: (C)", "the answer is C", "answer would be C", "answer = C"
  new RegExp(
    `\\b(?:final\\s+)?answer\\s*(?:is|:|=|would\\s+be|should\\s+be|will\\s+be)\\s*:?\\s*(?:option\\s+|choice\\s+|letter\\s+)?${OPEN}([A-Za-z])${NOT_WORD_AFTER}`,
    'gi',
  ),
  // "The correct option is C", "best choice: (C)", "right answer C"
  new RegExp(
    `\\b(?:correct|best|right|most\\s+appropriate|most\\s+likely)\\s+(?:answer|option|choice)\\s*(?:is|:|=|would\\s+be|should\\s+be)?\\s*:?\\s*(?:option\\s+|choice\\s+)?${OPEN}([A-Za-z])${NOT_WORD_AFTER}`,
    'gi',
  ),
  // "I would choose C", "I'd go with (C)", "I select option C"
  new RegExp(
    `\\bI(?:\\s+would|'d)?\\s+(?:choose|select|pick|go\\s+with)\\s+(?:option\\s+|choice\\s+)?${OPEN}([A-Za-z])${NOT_WORD_AFTER}`,
    'gi',
  ),
]

/**
 * A lower-case letter after "answer is" is accepted only when bracketed — "(c)" — because
 * "the answer is a …" is English, not option A.
 */
function acceptLetter(match: RegExpMatchArray, valid: ReadonlySet<string>): string | null {
  const raw = match[1]
  if (!raw) return null
  const full = match[0]
  const bracketed = /[([]\s*[A-Za-z]$/.test(full)
  if (raw !== raw.toUpperCase() && !bracketed) return null
  const letter = raw.toUpperCase()
  return valid.has(letter) ? letter : null
}

function lastAccepted(
  text: string,
  pattern: RegExp,
  valid: ReadonlySet<string>,
): { letter: string; index: number } | null {
  let best: { letter: string; index: number } | null = null
  for (const m of text.matchAll(pattern)) {
    const letter = acceptLetter(m, valid)
    if (letter !== null && (best === null || (m.index ?? 0) >= best.index))
      best = { letter, index: m.index ?? 0 }
  }
  return best
}

function normalizeOptionText(s: string): string {
  return s
    .toLowerCase()
    .replace(/[\s.!;:,]+$/u, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/** A response that is only a letter: "C", "(C)", "c.", "[B]". */
const WHOLE_LETTER = /^[([]?\s*([A-Za-z])\s*[)\]]?[.:)]?$/

const validByCount = new Map<number, ReadonlySet<string>>()

/** The option letters A… of `optionCount` options (at most 26). */
function validLetters(optionCount: number): ReadonlySet<string> {
  const n = Math.max(0, Math.min(optionCount, 26))
  let set = validByCount.get(n)
  if (!set) {
    set = new Set(Array.from({ length: n }, (_, i) => optionLetter(i)))
    validByCount.set(n, set)
  }
  return set
}

/**
 * Extracts the chosen option letter from a model response, or null when none can be found.
 * `optionCount` is the number of options (letters A… beyond it are ignored); `choices`, when
 * given, lets a response that is exactly one option's text count as that option.
 *
 * Order: the whole response being a letter; `\boxed{X}`; the last explicit answer statement; a
 * response that starts with "X." / "(X)"; a bare letter alone on the last line; option text.
 */
export function extractOptionLetter(
  response: string,
  optionCount: number,
  choices?: readonly string[],
): LetterExtraction | null {
  const valid = validLetters(optionCount)
  const text = stripMarkdownEmphasis(stripReasoning(response)).trim()
  if (text === '') return null
  // A bare letter ("C", "(c)", "C.") first: the commonest answer, and a text that is only a
  // letter holds no \boxed{} nor answer statement, so checking it first changes no result.
  const whole = WHOLE_LETTER.exec(text)
  if (whole?.[1] && valid.has(whole[1].toUpperCase()))
    return { letter: whole[1].toUpperCase(), source: 'whole_response' }

  const boxed = lastAccepted(text, /\\boxed\{\s*(?:\\text\{\s*)?[([]?([A-Za-z])[)\]]?\s*\}?\s*\}/g, valid)
  if (boxed) return { letter: boxed.letter, source: 'boxed' }

  let statement: { letter: string; index: number } | null = null
  for (const pattern of ANSWER_STATEMENTS) {
    const found = lastAccepted(text, pattern, valid)
    if (found && (statement === null || found.index > statement.index)) statement = found
  }
  if (statement) return { letter: statement.letter, source: 'answer_statement' }

  const leading = /^(?:[([]\s*([A-Z])\s*[)\]]|([A-Z])\s*[.):]|([A-Z])\s+-)\s+\S/.exec(text)
  const lead = leading?.[1] ?? leading?.[2] ?? leading?.[3]
  // A response that walks through several options ("A. … B. … C. …") does not choose the first.
  const optionLines = new Set(
    [...text.matchAll(/^\s*[([]?\s*([A-Z])\s*[).:]\s/gm)]
      .map((m) => m[1])
      .filter((l) => l !== undefined && valid.has(l)),
  )
  if (lead && valid.has(lead) && optionLines.size <= 1) return { letter: lead, source: 'leading_option' }

  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
  const lastLine = lines[lines.length - 1] ?? ''
  const bare = /^[([]?\s*([A-Z])\s*[)\]]?\.?$/.exec(lastLine)
  if (bare?.[1] && valid.has(bare[1])) return { letter: bare[1], source: 'last_line' }

  if (choices && choices.length > 0) {
    const said = normalizeOptionText(text)
    const hits = choices
      .map((c, i) => (normalizeOptionText(c) === said ? i : -1))
      .filter((i) => i >= 0 && i < valid.size)
    if (hits.length === 1) return { letter: optionLetter(hits[0] as number), source: 'option_text' }
  }
  return null
}

export interface MultipleChoiceDetails {
  extracted: string | null
  source: LetterSource | null
  gold: string[]
  reason?: 'no_option_letter'
}

/**
 * 1 when the extracted letter is one of the gold letters, else 0. `goldLetters` are the instance's
 * references ("A", "B", …). A reference that is not a valid option letter is a failure.
 */
export function multipleChoiceExactMatch(
  response: string,
  goldLetters: readonly string[],
  optionCount: number,
  choices?: readonly string[],
): MetricOutcome<MultipleChoiceDetails> {
  const gold = goldLetters.map((g) => g.trim().toUpperCase())
  if (gold.length === 0) return metricFailure('invalid_reference', 'the instance has no gold option letter')
  const bad = gold.find((g) => !/^[A-Z]$/.test(g) || g.charCodeAt(0) - 65 >= optionCount)
  if (bad !== undefined)
    return metricFailure(
      'invalid_reference',
      `gold answer "${bad}" is not one of the ${optionCount} option letters`,
    )
  const found = extractOptionLetter(response, optionCount, choices)
  if (!found) return metricValue(0, { extracted: null, source: null, gold, reason: 'no_option_letter' })
  return metricValue(gold.includes(found.letter) ? 1 : 0, {
    extracted: found.letter,
    source: found.source,
    gold,
  })
}
