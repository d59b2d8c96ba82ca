/**
 * BLEU as HELM computes it: `sentence_bleu([word_tokenize(gold)], word_tokenize(pred), weights)`
 * from NLTK (no smoothing, i.e. `SmoothingFunction().method0`), HELM's `bleu_1` with weights
 * (1, 0, 0, 0) and `bleu_4` with (0, 0, 0, 1); max over references.
 *
 * `sentenceBleu` is an exact port of NLTK 3.8's corpus_bleu for one hypothesis. `wordTokenize`
 * ports NLTK's NLTKWordTokenizer (the improved Treebank tokenizer) exactly; NLTK runs it after the
 * Punkt sentence splitter, whose English model is a trained parameter file that cannot ship here,
 * so sentences are split with a rule (., ! or ? followed by space and a non-lower-case letter, not
 * after a single letter or a common abbreviation). The two agree except on unusual abbreviations,
 * where a sentence-final "." may stay attached to its word.
 */

/** Python `sys.float_info.min`, what NLTK's method0 puts in place of a zero precision. */
const PY_FLOAT_MIN = 2.2250738585072014e-308

type Sub = [RegExp, string]

const W = '[\\p{L}\\p{N}_]'

const STARTING_QUOTES: Sub[] = [
  [/([«“‘„]|[`]+)/gu, ' $1 '],
  [/^"/gu, '``'],
  [/(``)/gu, ' $1 '],
  [/([ ([{<])("|'{2})/gu, '$1 `` '],
  [new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)(${W})(?!${W})`, 'giu'), '$1 $2'],
]

const PUNCTUATION: Sub[] = [
  [/([^.])(\.)([\])}>"'»”’ ]*)\s*$/gu, '$1 $2 $3 '],
  [/([:,])([^\p{Nd}])/gu, ' $1 $2'],
  [/([:,])$/gu, ' $1 '],
  [/\.{2,}/gu, ' $& '],
  [/[;@#$%&]/gu, ' $& '],
  [/([^.])(\.)([\])}>"']*)\s*$/gu, '$1 $2$3 '],
  [/[?!]/gu, ' $& '],
  [/([^'])' /gu, "$1 ' "],
  [/[*]/gu, ' $& '],
]

const PARENS_BRACKETS: Sub = [/[\][(){}<>]/gu, ' $& ']
const DOUBLE_DASHES: Sub = [/--/gu, ' -- ']

const ENDING_QUOTES: Sub[] = [
  [/([»”’])/gu, ' $1 '],
  [/''/gu, " '' "],
  [/"/gu, " '' "],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, '$1 $2 '],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, '$1 $2 '],
]

const B = `(?<!${W})`
const E = `(?!${W})`
const CONTRACTIONS: RegExp[] = [
  new RegExp(`${B}(can)(not)${E}`, 'giu'),
  new RegExp(`${B}(d)('ye)${E}`, 'giu'),
  new RegExp(`${B}(gim)(me)${E}`, 'giu'),
  new RegExp(`${B}(gon)(na)${E}`, 'giu'),
  new RegExp(`${B}(got)(ta)${E}`, 'giu'),
  new RegExp(`${B}(lem)(me)${E}`, 'giu'),
  new RegExp(`${B}(more)('n)${E}`, 'giu'),
  new RegExp(`${B}(wan)(na)(?=\\s)`, 'giu'),
  new RegExp(` ('t)(is)${E}`, 'giu'),
  new RegExp(` ('t)(was)${E}`, 'giu'),
]

/**
 * Python's `re.sub` applies a pattern to successive non-overlapping matches of the *original*
 * string, as JS `replace` with a global regex does; `$&`/`$1` mirror `\g<0>`/`\1`.
 */
function applyAll(text: string, subs: Sub[]): string {
  let out = text
  for (const [re, by] of subs) out = out.replace(re, by)
  return out
}

/** NLTK `NLTKWordTokenizer().tokenize(sentence)`. */
export function treebankTokenize(sentence: string): string[] {
  let text = applyAll(sentence, STARTING_QUOTES)
  text = applyAll(text, PUNCTUATION)
  text = text.replace(PARENS_BRACKETS[0], PARENS_BRACKETS[1])
  text = text.replace(DOUBLE_DASHES[0], DOUBLE_DASHES[1])
  text = ' ' + text + ' '
  text = applyAll(text, ENDING_QUOTES)
  for (const re of CONTRACTIONS) text = text.replace(re, ' $1 $2 ')
  return text.split(/\s+/).filter((t) => t !== '')
}

const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'fig',
  'no',
  'approx',
  'inc',
  'ltd',
  'co',
  'dept',
  'est',
  'mt',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'u.s',
  'cf',
  'al',
])

/** Sentence split standing in for Punkt (see the module comment). */
export function splitSentences(text: string): string[] {
  const out: string[] = []
  const re = /[.!?]+["')\]’”]*\s+(?=[^\s\p{Ll}])/gu
  let start = 0
  for (const m of text.matchAll(re)) {
    const end = (m.index ?? 0) + m[0].length
    const before = text.slice(start, m.index ?? 0)
    const lastWord = (/(\S+)$/u.exec(before)?.[1] ?? '').toLowerCase().replace(/^["'([]+/, '')
    if (m[0].startsWith('.') && (ABBREVIATIONS.has(lastWord) || /^\p{L}$/u.test(lastWord))) continue
    out.push(text.slice(start, end).trim())
    start = end
  }
  const rest = text.slice(start).trim()
  if (rest !== '') out.push(rest)
  return out
}

/** `nltk.word_tokenize(text)`: sentence split, then the Treebank tokenizer per sentence. */
export function wordTokenize(text: string): string[] {
  return splitSentences(text).flatMap((s) => treebankTokenize(s))
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const m = new Map<string, number>()
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join('\u0000')
    m.set(g, (m.get(g) ?? 0) + 1)
  }
  return m
}

/** NLTK `modified_precision`: clipped n-gram matches over max(1, hypothesis n-grams). */
export function modifiedPrecision(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  n: number,
): { numerator: number; denominator: number } {
  const counts = ngramCounts(hypothesis, n)
  const maxCounts = new Map<string, number>()
  for (const ref of references) {
    const refCounts = ngramCounts(ref, n)
    for (const g of counts.keys()) maxCounts.set(g, Math.max(maxCounts.get(g) ?? 0, refCounts.get(g) ?? 0))
  }
  let numerator = 0
  let total = 0
  for (const [g, c] of counts) {
    numerator += Math.min(c, maxCounts.get(g) ?? 0)
    total += c
  }
  return { numerator, denominator: Math.max(1, total) }
}

/** NLTK `closest_ref_length`: the reference length nearest the hypothesis length, shorter on ties. */
function closestRefLength(references: readonly (readonly string[])[], hypLen: number): number {
  let best = references[0]?.length ?? 0
  for (const r of references) {
    const d = Math.abs(r.length - hypLen)
    const bd = Math.abs(best - hypLen)
    if (d < bd || (d === bd && r.length < best)) best = r.length
  }
  return best
}

function brevityPenalty(closestRefLen: number, hypLen: number): number {
  if (hypLen > closestRefLen) return 1
  if (hypLen === 0) return 0
  return Math.exp(1 - closestRefLen / hypLen)
}

/** Kahan–Babuška sum, standing in for Python's `math.fsum`. */
function fsum(values: number[]): number {
  let sum = 0
  let c = 0
  for (const v of values) {
    const t = sum + v
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum
    sum = t
  }
  return sum + c
}

/** NLTK 3.8 `sentence_bleu(references, hypothesis, weights)` without smoothing. */
export function sentenceBleu(
  references: readonly (readonly string[])[],
  hypothesis: readonly string[],
  weights: readonly number[] = [0.25, 0.25, 0.25, 0.25],
): number {
  if (references.length === 0) throw new RangeError('sentenceBleu needs at least one reference')
  const precisions = weights.map((_, i) => modifiedPrecision(references, hypothesis, i + 1))
  if ((precisions[0]?.numerator ?? 0) === 0) return 0
  const bp = brevityPenalty(closestRefLength(references, hypothesis.length), hypothesis.length)
  const p = precisions.map((x) => (x.numerator !== 0 ? x.numerator / x.denominator : PY_FLOAT_MIN))
  const terms = weights.map((w, i) => w * Math.log(p[i] as number))
  return bp * Math.exp(fsum(terms))
}

export const BLEU_1_WEIGHTS = [1, 0, 0, 0] as const
export const BLEU_4_WEIGHTS = [0, 0, 0, 1] as const

/** HELM `bleu_1` / `bleu_4` over several references: max of the per-reference sentence BLEU. */
export function helmBleu(
  prediction: string,
  references: readonly string[],
  weights: readonly number[],
): { value: number; reference: number } {
  if (references.length === 0) throw new RangeError('helmBleu needs at least one reference')
  const hyp = wordTokenize(prediction)
  let best = { value: -1, reference: 0 }
  references.forEach((ref, i) => {
    const v = sentenceBleu([wordTokenize(ref)], hyp, weights)
    if (v > best.value) best = { value: v, reference: i }
  })
  return best
}
