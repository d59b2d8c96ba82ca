import type { BenchmarkManifestInput, JuryCriterion, MetricName } from '../../../../shared/benchmarks/pack'
import type { ImportOptions } from '../types'

/**
 * What the published importers share to build instances and manifests exactly as MedHELM
 * (stanford-crfm/helm) does: Python string semantics used by its scenarios, HELM's prompt layout,
 * and the jury criteria of its open-ended benchmarks.
 */

// Python's str.isspace() set, so strip() behaves like Python's (JS trim differs on \x1c-\x1f, \x85, \ufeff).
const PY_SPACE =
  '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g')

/** Python's str.strip() with no argument. */
export function pyStrip(text: string): string {
  return text.replace(PY_STRIP, '')
}

/** Python's str.title(): upper-case a letter that follows a non-letter, lower-case the rest. */
export function pyTitle(text: string): string {
  let out = ''
  let previousCased = false
  for (const ch of text) {
    const cased = ch.toLowerCase() !== ch.toUpperCase()
    out += cased ? (previousCased ? ch.toLowerCase() : ch.toUpperCase()) : ch
    previousCased = cased
  }
  return out
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u

function pyEscapeChar(ch: string, quote: string): string {
  if (ch === '\\') return '\\\\'
  if (ch === quote) return `\\${quote}`
  if (ch === '\n') return '\\n'
  if (ch === '\r') return '\\r'
  if (ch === '\t') return '\\t'
  if (ch === ' ' || !NON_PRINTABLE.test(ch)) return ch
  const code = ch.codePointAt(0)!
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, '0')}`
  return `\\U${code.toString(16).padStart(8, '0')}`
}

/** Python's repr() of a str. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'"
  let out = quote
  for (const ch of text) out += pyEscapeChar(ch, quote)
  return out + quote
}

/** Python's str() of a list of str, as an f-string renders it: ['a', "b's"]. */
export function pyListRepr(items: readonly string[]): string {
  return `[${items.map(pyStrRepr).join(', ')}]`
}

/**
 * HELM's prompt layout as a pack template: instructions, a blank line, the input after HELM's
 * `input_noun` ("Question: …"), then for multiple choice the lettered choices. The output noun is
 * appended by the runner (PromptSpec.outputNoun). As in HELM's joint multiple-choice adapter, the
 * input is followed by a newline only when there is an input noun.
 */
export function helmTemplate(inputNoun: string | null, kind: 'generation' | 'multiple_choice'): string {
  const prefix = inputNoun ? `${inputNoun}: ` : ''
  if (kind === 'generation') return `{{instructions}}\n\n${prefix}{{input}}\n`
  return `{{instructions}}\n\n${prefix}{{input}}${inputNoun ? '\n' : ''}{{choices}}`
}

/**
 * Applies the importer options that concern the manifest: `--benchmark <id>` (options.benchmarkId)
 * and `--version <label>` (settings.version), e.g. to keep two renditions of a dataset side by side.
 */
export function finishManifest(
  manifest: BenchmarkManifestInput,
  options: ImportOptions,
): BenchmarkManifestInput {
  const version = options.settings?.['version']
  return {
    ...manifest,
    ...(options.benchmarkId ? { id: options.benchmarkId } : {}),
    ...(version ? { version } : {}),
  }
}

/** The three criteria of MedHELM's jury (jury.md §3), worded for the benchmark's task. */
export function juryCriteria(wording: {
  accuracy: string
  completeness: string
  clarity: string
}): JuryCriterion[] {
  return [
    { id: 'accuracy', name: 'Accuracy', description: wording.accuracy },
    { id: 'completeness', name: 'Completeness', description: wording.completeness },
    { id: 'clarity', name: 'Clarity', description: wording.clarity },
  ]
}

/** Metrics of MedHELM's open-ended benchmarks: the jury score (main) plus ROUGE-L and BERTScore. */
export function openEndedMetrics(): { name: MetricName; main: boolean }[] {
  return [
    { name: 'jury', main: true },
    { name: 'rouge_l', main: false },
    { name: 'bertscore', main: false },
  ]
}
