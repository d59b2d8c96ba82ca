import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { porterStem } from '../../../src/main/scoring/porter-stemmer'
import { lcsLength, rougeL, rougeLMax, rougeN, rougeTokenize } from '../../../src/main/scoring/rouge'
import {
  helmBleu,
  modifiedPrecision,
  sentenceBleu,
  splitSentences,
  treebankTokenize,
  wordTokenize,
} from '../../../src/main/scoring/bleu'
import { bleuMetric, rougeLMetric } from '../../../src/main/scoring/text-metrics'

const fixtures = join(__dirname, '../../fixtures/scoring')
const load = <T>(name: string): T => JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T

describe('Porter stemmer (NLTK_EXTENSIONS, as rouge-score uses it)', () => {
  const ref = load<{ nltk: string; mode: string; stems: Record<string, string> }>('porter-nltk.json')

  it('the fixture was made with NLTK in its default mode', () => {
    expect(ref.mode).toBe('NLTK_EXTENSIONS')
    expect(Object.keys(ref.stems).length).toBeGreaterThan(3000)
  })

  it('matches NLTK on every word of a vocabulary drawn from the MedHELM datasets', () => {
    const mismatches = Object.entries(ref.stems)
      .filter(([w, s]) => porterStem(w) !== s)
      .map(([w, s]) => `${w}: nltk ${s}, ours ${porterStem(w)}`)
    expect(mismatches).toEqual([])
  })

  it('applies the NLTK extensions that the original algorithm lacks', () => {
    expect(porterStem('dying')).toBe('die') // irregular forms
    expect(porterStem('skies')).toBe('sky')
    expect(porterStem('dies')).toBe('die') // 4-letter "ies"
    expect(porterStem('flies')).toBe('fli')
    expect(porterStem('spied')).toBe('spi')
    expect(porterStem('happy')).toBe('happi')
    expect(porterStem('enjoy')).toBe('enjoy') // y→i only after a consonant
    expect(porterStem('generously')).toBe('gener')
    expect(porterStem('geology')).toBe('geolog') // "logi" → "log" keeps the l with the stem
    expect(porterStem('is')).toBe('is') // ≤ 2 letters untouched
  })

  it("reproduces Porter's published examples", () => {
    const cases: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      feed: 'feed',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      sing: 'sing',
      conflated: 'conflat',
      hopping: 'hop',
      falling: 'fall',
      filing: 'file',
      relational: 'relat',
      conditional: 'condit',
      rational: 'ration',
      adjustment: 'adjust',
      effective: 'effect',
    }
    for (const [w, s] of Object.entries(cases)) expect(porterStem(w), w).toBe(s)
  })
})

describe('ROUGE tokenization (rouge-score tokenize.py)', () => {
  it('lower-cases, turns non-[a-z0-9] runs into spaces and stems tokens longer than 3 characters', () => {
    expect(rougeTokenize('Patient was given 2 doses of IV-Metformin; tolerated it well!')).toEqual([
      'patient',
      'was',
      'given',
      '2',
      'dose',
      'of',
      'iv',
      'metformin',
      'toler',
      'it',
      'well',
    ])
    // "was" has 3 characters: not stemmed. Non-ASCII letters are separators.
    expect(rougeTokenize('was café')).toEqual(['was', 'caf'])
    expect(rougeTokenize('Dosages', false)).toEqual(['dosages'])
    expect(rougeTokenize('  ?! ')).toEqual([])
  })
})

describe('ROUGE-L', () => {
  const ref = load<{
    pairs: {
      source: string
      prediction: string
      reference: string
      precision: number
      recall: number
      f1: number
    }[]
  }>('rouge-l-reference.json')

  it("gives rouge-score's published README value", () => {
    // rouge-score README: scorer.score('The quick brown fox jumps over the lazy dog',
    //                                  'The quick brown dog jumps on the log.')['rougeL']
    const s = rougeL('The quick brown dog jumps on the log.', 'The quick brown fox jumps over the lazy dog')
    expect(s.precision).toBeCloseTo(0.625, 12)
    expect(s.recall).toBeCloseTo(0.5555555555555556, 12)
    expect(s.f1).toBeCloseTo(0.5882352941176471, 12)
  })

  it('matches the rouge-score algorithm with NLTK stemming on real MedHELM texts', () => {
    expect(ref.pairs.length).toBeGreaterThan(40)
    for (const p of ref.pairs) {
      const s = rougeL(p.prediction, p.reference)
      expect(s.precision, p.source).toBeCloseTo(p.precision, 12)
      expect(s.recall, p.source).toBeCloseTo(p.recall, 12)
      expect(s.f1, p.source).toBeCloseTo(p.f1, 12)
    }
  })

  it('computes the LCS length', () => {
    expect(lcsLength(['a', 'b', 'c', 'b', 'd', 'a', 'b'], ['b', 'd', 'c', 'a', 'b', 'a'])).toBe(4)
    expect(lcsLength([], ['a'])).toBe(0)
  })

  it('takes the reference with the best F1 over several references, as HELM does', () => {
    const s = rougeLMax('take one tablet daily with food', [
      'apply the cream twice daily',
      'take one tablet every day with food',
    ])
    expect(s.reference).toBe(1)
    expect(s.f1).toBeCloseTo(
      rougeL('take one tablet daily with food', 'take one tablet every day with food').f1,
      12,
    )
  })

  it('ROUGE-1 and ROUGE-2 with clipped counts', () => {
    const r1 = rougeN(
      'The quick brown dog jumps on the log.',
      'The quick brown fox jumps over the lazy dog',
      1,
    )
    expect(r1.precision).toBeCloseTo(0.75, 12) // rouge-score README: rouge1 precision 0.75
    expect(r1.recall).toBeCloseTo(0.6666666666666666, 12)
    expect(r1.f1).toBeCloseTo(0.7058823529411765, 12)
    expect(() => rougeN('a', 'b', 0)).toThrow(RangeError)
  })

  it('as a metric: strips reasoning, fails without a reference', () => {
    const m = rougeLMetric('<think>dose?</think>The quick brown dog jumps on the log.', [
      'The quick brown fox jumps over the lazy dog',
    ])
    expect(m.ok && m.value).toBeCloseTo(0.5882352941176471, 12)
    expect(rougeLMetric('anything', [])).toMatchObject({ ok: false, code: 'invalid_reference' })
    expect(rougeLMetric('anything', ['  '])).toMatchObject({ ok: false, code: 'invalid_reference' })
    expect(rougeLMetric('', ['Take with food.'])).toMatchObject({ ok: true, value: 0 })
  })
})

describe('BLEU (NLTK sentence_bleu, HELM bleu_1 / bleu_4)', () => {
  const ref = load<{
    tokenizer: { text: string; tokens: string[] }[]
    bleu: { references: string[][]; hypothesis: string[]; weights: number[]; bleu: number }[]
  }>('bleu-nltk.json')

  it("tokenizes each sentence exactly as NLTK's NLTKWordTokenizer", () => {
    for (const t of ref.tokenizer) expect(treebankTokenize(t.text), t.text).toEqual(t.tokens)
  })

  it("matches NLTK's sentence_bleu on real PubMedQA and ACI-Bench sentences", () => {
    for (const c of ref.bleu) {
      const v = sentenceBleu(c.references, c.hypothesis, c.weights)
      if (c.bleu < 1e-300) expect(v).toBeLessThan(1e-300)
      else expect(v, c.hypothesis.join(' ')).toBeCloseTo(c.bleu, 12)
    }
  })

  it('clips n-gram counts by the reference counts (Papineni et al. example)', () => {
    const p = modifiedPrecision(
      [
        ['the', 'cat', 'is', 'on', 'the', 'mat'],
        ['there', 'is', 'a', 'cat', 'on', 'the', 'mat'],
      ],
      ['the', 'the', 'the', 'the', 'the', 'the', 'the'],
      1,
    )
    expect(p).toEqual({ numerator: 2, denominator: 7 })
  })

  it('is 0 when no unigram matches and for an empty hypothesis', () => {
    expect(sentenceBleu([['a', 'b']], ['c'])).toBe(0)
    expect(sentenceBleu([['a', 'b']], [])).toBe(0)
  })

  it('splits sentences before tokenizing, keeping abbreviations together', () => {
    expect(splitSentences('Take 5 mg daily. Dr. Smith agrees. Stop if dizzy!')).toEqual([
      'Take 5 mg daily.',
      'Dr. Smith agrees.',
      'Stop if dizzy!',
    ])
    expect(wordTokenize('Take 5 mg daily. Stop if dizzy.')).toEqual([
      'Take',
      '5',
      'mg',
      'daily',
      '.',
      'Stop',
      'if',
      'dizzy',
      '.',
    ])
  })

  it('HELM bleu_1 takes the best reference; the metric fails without one', () => {
    const r = helmBleu('take one tablet daily', ['apply cream', 'take one tablet daily'], [1, 0, 0, 0])
    expect(r).toEqual({ value: 1, reference: 1 })
    expect(bleuMetric('x', [], 4)).toMatchObject({ ok: false, code: 'invalid_reference' })
    const b4 = bleuMetric('take one tablet daily with food', ['take one tablet daily with food'], 4)
    expect(b4).toMatchObject({ ok: true, value: 1 })
  })
})
