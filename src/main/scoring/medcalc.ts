import { metricFailure, metricValue, type MetricOutcome } from './outcome'
import { finalAnswerText } from './response-text'

/**
 * MedCalc-Bench accuracy as HELM's `MedCalcBenchMetric` defines it (medcalc_bench_metrics.py):
 *
 * - categories risk, severity, diagnosis: exact match of the stripped prediction and the reference;
 * - dosage and physical (and lab, see below): correct if lower ≤ float(prediction) ≤ upper;
 * - date: a MM/DD/YYYY date within [lower, upper], or — when the reference is a gestational-age
 *   tuple — a "(X weeks, Y days)" duration within [lower, upper] counted in days.
 * - a prediction that does not parse scores 0 (HELM catches the ValueError and scores 0).
 *
 * Deliberate differences, each because HELM's rule would score a correct answer 0:
 * - HELM only range-checks the categories "dosage conversion" and "physical"; the MedCalc-Bench
 *   CSV labels them "lab" (327 rows) and "dosage" (40 rows), which HELM would reject as
 *   unsupported and score 0. WardEval range-checks lab / lab test / dosage / dosage conversion /
 *   physical, as MedCalc-Bench's own evaluate.py does for decimal calculators.
 * - HELM parses durations only in the Python-tuple spelling "('4 weeks', '3 days')", while the
 *   question asks for "(4 weeks, 3 days)"; both spellings (and "1 week", "1 day") are read.
 * - A category WardEval has no rule for, or limits that do not parse, are failures
 *   (`unsupported_category`, `invalid_reference`), not a 0 the model did not earn.
 */

export const MEDCALC_EXACT_CATEGORIES = ['risk', 'severity', 'diagnosis'] as const
export const MEDCALC_RANGE_CATEGORIES = [
  'dosage conversion',
  'dosage',
  'physical',
  'lab',
  'lab test',
] as const
export const MEDCALC_DATE_CATEGORY = 'date'

export interface MedcalcGold {
  /** MedCalc-Bench "Category". */
  category: string
  /** "Ground Truth Answer" (the instance's first reference). */
  answer: string
  /** "Lower Limit" / "Upper Limit" as the dataset writes them. */
  lowerLimit: string
  upperLimit: string
}

export type MedcalcRule = 'exact' | 'numeric_range' | 'date_range' | 'duration_range'

export interface MedcalcDetails {
  rule: MedcalcRule
  prediction: string
  /** The parsed prediction: a number, days since epoch (dates) or total days (durations). */
  parsed?: number
  reason?: 'unparseable_prediction' | 'empty_prediction'
}

/** Python `float()` on an already stripped string: decimals, exponents, inf/nan, digit underscores. */
export function parsePythonFloat(text: string): number | null {
  const s = text.trim()
  if (/^[+-]?(?:inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity
  if (/^[+-]?nan$/i.test(s)) return Number.NaN
  const digits = '\\d(?:_?\\d)*'
  const re = new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`)
  if (!re.test(s)) return null
  return Number(s.replace(/_/g, ''))
}

/** `datetime.strptime(s, "%m/%d/%Y")` → days since 1970-01-01, or null. */
export function parseUsDate(text: string): number | null {
  const m = /^(1[0-2]|0[1-9]|[1-9])\/(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])\/(\d{4})$/.exec(text)
  if (!m) return null
  const month = Number(m[1])
  const day = Number((m[2] as string).trim())
  const year = Number(m[3])
  const t = Date.UTC(year, month - 1, day)
  const d = new Date(t)
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear keeps the year as written.
  d.setUTCFullYear(year, month - 1, day)
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null
  return Math.round(d.getTime() / 86_400_000)
}

const DURATION = /^\(\s*['"]?(\d+)\s+weeks?['"]?\s*,\s*['"]?(\d+)\s+days?['"]?\s*\)/i
const PY_DURATION = /^\('(\d+) weeks', '(\d+) days'\)/

/** "(X weeks, Y days)" or "('X weeks', 'Y days')" → total days, or null. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim())
  if (!m) return null
  return Number(m[1]) * 7 + Number(m[2])
}

function normalizeCategory(category: string): string {
  return category.trim().toLowerCase()
}

export function medcalcRule(gold: MedcalcGold): MedcalcRule | null {
  const c = normalizeCategory(gold.category)
  if ((MEDCALC_EXACT_CATEGORIES as readonly string[]).includes(c)) return 'exact'
  if ((MEDCALC_RANGE_CATEGORIES as readonly string[]).includes(c)) return 'numeric_range'
  if (c === MEDCALC_DATE_CATEGORY)
    return PY_DURATION.test(gold.answer.trim()) ? 'duration_range' : 'date_range'
  return null
}

/** MedHELM `medcalc_bench_accuracy` for one instance: value 1 or 0. */
export function medcalcAccuracy(response: string, gold: MedcalcGold): MetricOutcome<MedcalcDetails> {
  const rule = medcalcRule(gold)
  if (rule === null)
    return metricFailure(
      'unsupported_category',
      `MedCalc-Bench category "${gold.category}" has no scoring rule`,
    )
  const prediction = finalAnswerText(response)

  if (rule === 'exact') {
    if (gold.answer.trim() === '')
      return metricFailure('invalid_reference', 'the ground-truth answer is empty')
    return metricValue(prediction === gold.answer.trim() ? 1 : 0, {
      rule,
      prediction,
      ...(prediction === '' ? { reason: 'empty_prediction' as const } : {}),
    })
  }

  const parse =
    rule === 'numeric_range' ? parsePythonFloat : rule === 'date_range' ? parseUsDate : parseDuration
  const lower = parse(gold.lowerLimit.trim())
  const upper = parse(gold.upperLimit.trim())
  if (lower === null || upper === null || Number.isNaN(lower) || Number.isNaN(upper))
    return metricFailure(
      'invalid_reference',
      `the ${rule === 'numeric_range' ? 'numeric' : rule === 'date_range' ? 'date (MM/DD/YYYY)' : 'duration'} limits "${gold.lowerLimit}" / "${gold.upperLimit}" do not parse`,
    )
  const value = parse(prediction)
  if (value === null)
    return metricValue(0, {
      rule,
      prediction,
      reason: prediction === '' ? 'empty_prediction' : 'unparseable_prediction',
    })
  return metricValue(lower <= value && value <= upper ? 1 : 0, { rule, prediction, parsed: value })
}

/**
 * The MedCalc gold of a pack instance. The MedCalc-Bench importer stores `category`, `lowerLimit`
 * and `upperLimit` in metadata; HELM's extra_data spelling (`lower_limit`, `upper_limit`) is read
 * too, for packs written by hand.
 */
export function medcalcGoldFromInstance(instance: {
  references: readonly string[]
  metadata: Record<string, unknown>
}): MedcalcGold | { error: string } {
  const answer = instance.references[0]
  const m = instance.metadata
  const str = (v: unknown) =>
    typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null
  if (answer === undefined) return { error: 'references[0] (the ground-truth answer) is missing' }
  if (typeof m.category !== 'string' || m.category.trim() === '')
    return { error: 'metadata.category is missing' }
  const lo = str(m.lowerLimit ?? m.lower_limit)
  const hi = str(m.upperLimit ?? m.upper_limit)
  if (lo === null) return { error: 'metadata.lowerLimit is missing or not a string/number' }
  if (hi === null) return { error: 'metadata.upperLimit is missing or not a string/number' }
  return { category: m.category, answer, lowerLimit: lo, upperLimit: hi }
}
