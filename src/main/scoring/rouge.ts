import { porterStem } from './porter-stemmer'

/**
 * ROUGE as Google's `rouge-score` package computes it (rouge_scorer.py, tokenize.py), the way HELM
 * calls it: `RougeScorer([type], use_stemmer=True).score(gold, pred)`, F-measure, max over the
 * references.
 *
 * Tokenisation: lower-case; every run of characters outside [a-z0-9] becomes a space; split on
 * whitespace; tokens longer than 3 characters are stemmed with NLTK's Porter stemmer; empty tokens
 * dropped.
 */

export interface RougeScore {
  precision: number
  recall: number
  f1: number
}

const memo = new Map<string, string>()
function stemCached(token: string): string {
  let s = memo.get(token)
  if (s === undefined) {
    s = porterStem(token)
    if (memo.size > 50_000) memo.clear()
    memo.set(token, s)
  }
  return s
}

/** rouge-score `tokenize.tokenize(text, stemmer)`. */
export function rougeTokenize(text: string, stem = true): string[] {
  const spaced = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ')
  const tokens = spaced.split(/\s+/)
  const out: string[] = []
  for (const t of tokens) {
    const s = stem && t.length > 3 ? stemCached(t) : t
    if (/^[a-z0-9]+$/.test(s)) out.push(s)
  }
  return out
}

/** rouge-score `scoring.fmeasure`. */
function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
}

/** Length of the longest common subsequence, O(n·m) time, O(min(n,m)) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a]
  let prev = new Uint32Array(short.length + 1)
  let cur = new Uint32Array(short.length + 1)
  for (let i = 1; i <= long.length; i++) {
    const x = long[i - 1]
    for (let j = 1; j <= short.length; j++) {
      cur[j] =
        x === short[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, cur[j - 1] as number)
    }
    ;[prev, cur] = [cur, prev]
  }
  return prev[short.length] as number
}

/** rouge-score `_score_lcs(target_tokens, prediction_tokens)`. */
export function rougeLFromTokens(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, f1: 0 }
  const lcs = lcsLength(target, prediction)
  const precision = lcs / prediction.length
  const recall = lcs / target.length
  return { precision, recall, f1: fmeasure(precision, recall) }
}

/** ROUGE-L (stemmed) of a prediction against one reference: `scorer.score(reference, prediction)['rougeL']`. */
export function rougeL(prediction: string, reference: string): RougeScore {
  return rougeLFromTokens(rougeTokenize(reference), rougeTokenize(prediction))
}

/** rouge-score `rougeN` (n-gram overlap with clipped counts). */
export function rougeN(prediction: string, reference: string, n: number): RougeScore {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rougeN requires a positive integer n, got ${n}`)
  const grams = (tokens: string[]) => {
    const m = new Map<string, number>()
    for (let i = 0; i + n <= tokens.length; i++) {
      const g = tokens.slice(i, i + n).join(' ')
      m.set(g, (m.get(g) ?? 0) + 1)
    }
    return m
  }
  const t = grams(rougeTokenize(reference))
  const p = grams(rougeTokenize(prediction))
  let overlap = 0
  for (const [g, c] of t) overlap += Math.min(c, p.get(g) ?? 0)
  const tCount = [...t.values()].reduce((a, b) => a + b, 0)
  const pCount = [...p.values()].reduce((a, b) => a + b, 0)
  const precision = overlap / Math.max(pCount, 1)
  const recall = overlap / Math.max(tCount, 1)
  return { precision, recall, f1: fmeasure(precision, recall) }
}

/**
 * HELM's `rouge_l` over several references: the score of the reference with the highest F1
 * (HELM keeps only the F-measure, `max(score(gold, pred) for gold in golds)`; precision and recall
 * are reported for that same reference). Throws on an empty reference list: callers check first.
 */
export function rougeLMax(
  prediction: string,
  references: readonly string[],
): RougeScore & { reference: number } {
  if (references.length === 0) throw new RangeError('rougeLMax needs at least one reference')
  const predTokens = rougeTokenize(prediction)
  let best: (RougeScore & { reference: number }) | null = null
  references.forEach((ref, i) => {
    const s = rougeLFromTokens(rougeTokenize(ref), predTokens)
    if (best === null || s.f1 > best.f1) best = { ...s, reference: i }
  })
  return best as unknown as RougeScore & { reference: number }
}
