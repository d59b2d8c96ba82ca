/**
 * The Porter stemmer exactly as NLTK implements it in its default mode, `NLTK_EXTENSIONS`
 * (nltk/stem/porter.py), which is what Google's rouge-score calls (`porter.PorterStemmer()`).
 *
 * npm's stemmers (`stemmer`, `natural`) implement Martin Porter's original algorithm, which
 * differs from NLTK's extensions (e.g. "dying" → "die", "flies" → "fli", "happy" → "happi" but
 * "enjoy" → "enjoy", "generously" → "generous", step-2 "alli" first, "logi" → "log"), so ROUGE
 * scores would not match HELM's. This is a line-by-line port; tests compare it with NLTK's output
 * on a vocabulary drawn from the MedHELM datasets.
 */

const IRREGULAR_FORMS: Record<string, string[]> = {
  sky: ['sky', 'skies'],
  die: ['dying'],
  lie: ['lying'],
  tie: ['tying'],
  news: ['news'],
  inning: ['innings', 'inning'],
  outing: ['outings', 'outing'],
  canning: ['cannings', 'canning'],
  howe: ['howe'],
  proceed: ['proceed'],
  exceed: ['exceed'],
  succeed: ['succeed'],
}

const POOL = new Map<string, string>()
for (const [key, forms] of Object.entries(IRREGULAR_FORMS)) for (const f of forms) POOL.set(f, key)

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u'])

function isConsonant(word: string, i: number): boolean {
  const ch = word[i] as string
  if (VOWELS.has(ch)) return false
  if (ch === 'y') return i === 0 ? true : !isConsonant(word, i - 1)
  return true
}

function measure(stem: string): number {
  let cv = ''
  for (let i = 0; i < stem.length; i++) cv += isConsonant(stem, i) ? 'c' : 'v'
  let count = 0
  for (let i = 0; i + 1 < cv.length; i++) if (cv[i] === 'v' && cv[i + 1] === 'c') count++
  return count
}

const hasPositiveMeasure = (stem: string) => measure(stem) > 0

function containsVowel(stem: string): boolean {
  for (let i = 0; i < stem.length; i++) if (!isConsonant(stem, i)) return true
  return false
}

function endsDoubleConsonant(word: string): boolean {
  return (
    word.length >= 2 && word[word.length - 1] === word[word.length - 2] && isConsonant(word, word.length - 1)
  )
}

function endsCvc(word: string): boolean {
  const n = word.length
  return (
    (n >= 3 &&
      isConsonant(word, n - 3) &&
      !isConsonant(word, n - 2) &&
      isConsonant(word, n - 1) &&
      !['w', 'x', 'y'].includes(word[n - 1] as string)) ||
    (n === 2 && !isConsonant(word, 0) && isConsonant(word, 1))
  )
}

function replaceSuffix(word: string, suffix: string, replacement: string): string {
  return suffix === '' ? word + replacement : word.slice(0, word.length - suffix.length) + replacement
}

type Rule = [suffix: string, replacement: string, condition: ((stem: string) => boolean) | null]

/** Applies the first rule whose suffix matches; a matching rule whose condition fails stops the list. */
function applyRuleList(word: string, rules: Rule[]): string {
  for (const [suffix, replacement, condition] of rules) {
    if (suffix === '*d' && endsDoubleConsonant(word)) {
      const stem = word.slice(0, -2)
      return condition === null || condition(stem) ? stem + replacement : word
    }
    if (word.endsWith(suffix)) {
      const stem = replaceSuffix(word, suffix, '')
      return condition === null || condition(stem) ? stem + replacement : word
    }
  }
  return word
}

function step1a(word: string): string {
  if (word.endsWith('ies') && word.length === 4) return replaceSuffix(word, 'ies', 'ie')
  return applyRuleList(word, [
    ['sses', 'ss', null],
    ['ies', 'i', null],
    ['ss', 'ss', null],
    ['s', '', null],
  ])
}

function step1b(word: string): string {
  if (word.endsWith('ied'))
    return word.length === 4 ? replaceSuffix(word, 'ied', 'ie') : replaceSuffix(word, 'ied', 'i')
  if (word.endsWith('eed')) {
    const stem = replaceSuffix(word, 'eed', '')
    return measure(stem) > 0 ? stem + 'ee' : word
  }
  let intermediate: string | null = null
  for (const suffix of ['ed', 'ing']) {
    if (word.endsWith(suffix)) {
      const candidate = replaceSuffix(word, suffix, '')
      if (containsVowel(candidate)) {
        intermediate = candidate
        break
      }
    }
  }
  if (intermediate === null) return word
  const stem1 = intermediate
  const last = stem1[stem1.length - 1] ?? ''
  return applyRuleList(stem1, [
    ['at', 'ate', null],
    ['bl', 'ble', null],
    ['iz', 'ize', null],
    ['*d', last, () => !['l', 's', 'z'].includes(last)],
    ['', 'e', (stem) => measure(stem) === 1 && endsCvc(stem)],
  ])
}

function step1c(word: string): string {
  return applyRuleList(word, [['y', 'i', (stem) => stem.length > 1 && isConsonant(stem, stem.length - 1)]])
}

function step2(word: string): string {
  if (word.endsWith('alli') && hasPositiveMeasure(replaceSuffix(word, 'alli', ''))) {
    return step2(replaceSuffix(word, 'alli', 'al'))
  }
  const rules: Rule[] = [
    ['ational', 'ate', hasPositiveMeasure],
    ['tional', 'tion', hasPositiveMeasure],
    ['enci', 'ence', hasPositiveMeasure],
    ['anci', 'ance', hasPositiveMeasure],
    ['izer', 'ize', hasPositiveMeasure],
    ['bli', 'ble', hasPositiveMeasure],
    ['alli', 'al', hasPositiveMeasure],
    ['entli', 'ent', hasPositiveMeasure],
    ['eli', 'e', hasPositiveMeasure],
    ['ousli', 'ous', hasPositiveMeasure],
    ['ization', 'ize', hasPositiveMeasure],
    ['ation', 'ate', hasPositiveMeasure],
    ['ator', 'ate', hasPositiveMeasure],
    ['alism', 'al', hasPositiveMeasure],
    ['iveness', 'ive', hasPositiveMeasure],
    ['fulness', 'ful', hasPositiveMeasure],
    ['ousness', 'ous', hasPositiveMeasure],
    ['aliti', 'al', hasPositiveMeasure],
    ['iviti', 'ive', hasPositiveMeasure],
    ['biliti', 'ble', hasPositiveMeasure],
    ['fulli', 'ful', hasPositiveMeasure],
    // The "l" of "logi" stays with the stem so short stems such as "geo", "theo" work.
    ['logi', 'log', () => hasPositiveMeasure(word.slice(0, -3))],
  ]
  return applyRuleList(word, rules)
}

function step3(word: string): string {
  return applyRuleList(word, [
    ['icate', 'ic', hasPositiveMeasure],
    ['ative', '', hasPositiveMeasure],
    ['alize', 'al', hasPositiveMeasure],
    ['iciti', 'ic', hasPositiveMeasure],
    ['ical', 'ic', hasPositiveMeasure],
    ['ful', '', hasPositiveMeasure],
    ['ness', '', hasPositiveMeasure],
  ])
}

function step4(word: string): string {
  const gt1 = (stem: string) => measure(stem) > 1
  return applyRuleList(word, [
    ['al', '', gt1],
    ['ance', '', gt1],
    ['ence', '', gt1],
    ['er', '', gt1],
    ['ic', '', gt1],
    ['able', '', gt1],
    ['ible', '', gt1],
    ['ant', '', gt1],
    ['ement', '', gt1],
    ['ment', '', gt1],
    ['ent', '', gt1],
    ['ion', '', (stem) => measure(stem) > 1 && (stem.endsWith('s') || stem.endsWith('t'))],
    ['ou', '', gt1],
    ['ism', '', gt1],
    ['ate', '', gt1],
    ['iti', '', gt1],
    ['ous', '', gt1],
    ['ive', '', gt1],
    ['ize', '', gt1],
  ])
}

function step5a(word: string): string {
  if (word.endsWith('e')) {
    const stem = replaceSuffix(word, 'e', '')
    if (measure(stem) > 1) return stem
    if (measure(stem) === 1 && !endsCvc(stem)) return stem
  }
  return word
}

function step5b(word: string): string {
  return applyRuleList(word, [['ll', 'l', () => measure(word.slice(0, -1)) > 1]])
}

/** NLTK `PorterStemmer().stem(word)` (mode NLTK_EXTENSIONS, to_lowercase=True). */
export function porterStem(word: string): string {
  const lower = word.toLowerCase()
  const irregular = POOL.get(word)
  if (irregular !== undefined) return irregular
  if (word.length <= 2) return lower
  let stem = lower
  stem = step1a(stem)
  stem = step1b(stem)
  stem = step1c(stem)
  stem = step2(stem)
  stem = step3(stem)
  stem = step4(stem)
  stem = step5a(stem)
  stem = step5b(stem)
  return stem
}
