import { createReadStream, existsSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { createInterface } from 'node:readline'
import { z } from 'zod'
import { AppError } from '../errors'
import { rougeLMax } from './rouge'
import { jsonLineMessage } from '../json/syntax-error'

/**
 * `stats rouge <pairs.jsonl>`: ROUGE-L (stemmed, rouge-score tokenisation) for each line
 * `{"prediction": "...", "reference": "..."}` of a JSONL file. `reference` may also be a list
 * of references (the best F1 is kept, as HELM does); an `id` field is echoed back. Blank lines
 * are skipped; any other bad line stops the command with its line number and field.
 */

const Pair = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  prediction: z.string({ error: 'must be a string' }),
  reference: z.union([z.string(), z.array(z.string()).min(1, 'must list at least one reference')], {
    error: 'must be a string or a list of strings',
  }),
})

export interface RougePairResult {
  line: number
  id?: string | number
  precision: number
  recall: number
  f1: number
  /** Index of the best reference when several were given. */
  reference?: number
}

export interface RougePairsReport {
  file: string
  count: number
  mean: { precision: number; recall: number; f1: number }
  pairs: RougePairResult[]
}

export async function rougePairsFromFile(path: string): Promise<RougePairsReport> {
  const name = basename(path)
  if (!existsSync(path) || !statSync(path).isFile())
    throw new AppError('not_found', `pairs file not found: ${path}`)
  const pairs: RougePairResult[] = []
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })
  let n = 0
  for await (const raw of lines) {
    n++
    const text = n === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw new AppError('bad_data', `${name} line ${n}: ${jsonLineMessage(text, false)}`)
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new AppError(
        'bad_data',
        `${name} line ${n}: expected an object {"prediction": …, "reference": …}`,
      )
    const parsed = Pair.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.join('.') || '(line)'
      throw new AppError('bad_data', `${name} line ${n}, field "${field}": ${issue?.message ?? 'invalid'}`, {
        issues: parsed.error.issues.map((i) => ({
          path: [`line ${n}`, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
          message: i.message,
        })),
      })
    }
    const refs = typeof parsed.data.reference === 'string' ? [parsed.data.reference] : parsed.data.reference
    const s = rougeLMax(parsed.data.prediction, refs)
    pairs.push({
      line: n,
      ...(parsed.data.id !== undefined ? { id: parsed.data.id } : {}),
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      ...(refs.length > 1 ? { reference: s.reference } : {}),
    })
  }
  if (pairs.length === 0) throw new AppError('bad_data', `${name}: no pairs (the file is empty)`)
  const avg = (k: 'precision' | 'recall' | 'f1') => pairs.reduce((a, p) => a + p[k], 0) / pairs.length
  return {
    file: path,
    count: pairs.length,
    mean: { precision: avg('precision'), recall: avg('recall'), f1: avg('f1') },
    pairs,
  }
}
