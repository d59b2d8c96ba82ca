import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { z } from 'zod'
import type { Resources } from '../benchmarks/resources'
import { AppError } from '../errors'
import { jsonSyntaxMessage } from '../json/syntax-error'
import { leaderboardFromScores, type TableColumn, type TableLeaderboard } from '../analysis/helm-table'
import { HELM_FORMAT } from './helm'

/**
 * Reading a HELM-shaped export back (`stats leaderboard <file.json>`): each model's per-benchmark
 * main-metric mean becomes a table cell, and MedHELM's leaderboard is computed from the table the
 * same way as from the authors' published CSV — the round trip that checks the export.
 */

const Stat = z
  .object({ name: z.object({ name: z.string(), split: z.string() }), mean: z.number() })
  .passthrough()
const Entry = z.object({
  stats: z.array(Stat),
  wardeval: z.object({
    benchmark_id: z.string(),
    benchmark_name: z.string(),
    category_id: z.string().nullable(),
    main_metric: z.string(),
    scale: z.enum(['0-1', '1-5']),
  }),
})
const HelmFile = z.object({
  format: z.literal(HELM_FORMAT),
  models: z.array(z.object({ model: z.string(), run_specs: z.array(Entry) })),
})

function parse(path: string): z.infer<typeof HelmFile> {
  const file = basename(path)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `file not found: ${path}`)
    throw e
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new AppError('bad_data', `${file}: ${jsonSyntaxMessage(text)}`)
  }
  const parsed = HelmFile.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new AppError(
      'bad_data',
      `${file}: not a WardEval HELM export (\`export helm\`): ${issue.path.join('.') || 'document'}: ${issue.message}`,
    )
  }
  return parsed.data
}

export function leaderboardFromHelmFile(path: string, res: Resources): TableLeaderboard {
  const doc = parse(path)
  const columns = new Map<string, Omit<TableColumn, 'rescaled'>>()
  for (const m of doc.models)
    for (const e of m.run_specs) {
      const w = e.wardeval
      const key = `${w.benchmark_id}:${w.main_metric}`
      if (!columns.has(key))
        columns.set(key, {
          header: `${w.benchmark_name} - ${w.main_metric}`,
          benchmark: w.benchmark_name,
          metric: w.main_metric,
          scale: w.scale,
          benchmarkId: res.catalogById.has(w.benchmark_id) ? w.benchmark_id : null,
          categoryId: w.category_id,
        })
    }
  const keys = [...columns.keys()]
  const rows = doc.models.map((m) => {
    const scores = new Map(
      m.run_specs.map((e) => [
        `${e.wardeval.benchmark_id}:${e.wardeval.main_metric}`,
        e.stats.find((s) => s.name.name === e.wardeval.main_metric && s.name.split === 'test')?.mean ?? null,
      ]),
    )
    return { model: m.model, published: null, scores: keys.map((k) => scores.get(k) ?? null) }
  })
  if (rows.length < 2)
    throw new AppError(
      'bad_data',
      `${basename(path)}: a leaderboard needs at least two models; found ${rows.length}`,
    )
  return leaderboardFromScores(basename(path), [...columns.values()], rows, res)
}
