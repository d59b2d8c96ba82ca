import type { Leaderboard } from '../../shared/api/leaderboard'
import type { Db } from '../db/open'

/** Longest stretch of one text shown in an example (the rest is cut, and says so). */
export const EXAMPLE_TEXT_LIMIT = 1500

export interface ExampleAnswer {
  modelKey: string
  text: string | null
}

export interface InstanceExample {
  instanceId: string
  input: string
  references: string[]
  answers: ExampleAnswer[]
}

export interface BenchmarkExamples {
  benchmarkId: string
  benchmarkName: string
  examples: InstanceExample[]
}

/** The warning shown (CLI: stderr; app: a confirmation) before examples go into a report. */
export const EXAMPLES_WARNING =
  'Examples are instance texts and model answers: they may contain patient data. Share this report only where patient data may go.'

const cut = (text: string) =>
  text.length > EXAMPLE_TEXT_LIMIT ? `${text.slice(0, EXAMPLE_TEXT_LIMIT)}… [cut]` : text

function references(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown
    return Array.isArray(v) ? v.map((x) => cut(String(x))) : []
  } catch {
    return []
  }
}

/**
 * The first `perBenchmark` instances (by position in the file) of every benchmark of the leaderboard,
 * with each model's answer from the run its cell comes from.
 */
export function reportExamples(db: Db, lb: Leaderboard, perBenchmark: number): BenchmarkExamples[] {
  const instances = db.prepare(
    `SELECT i.id, i.ext_id, i.input, i.references_json FROM instances i
     JOIN benchmark_versions v ON v.id = i.benchmark_version_id
     WHERE v.benchmark_id = ? AND v.version = ? ORDER BY i.ordinal LIMIT ?`,
  )
  const answer = db.prepare(
    `SELECT r.text FROM run_items ri LEFT JOIN responses r ON r.id = ri.response_id
     WHERE ri.run_id = ? AND ri.model_key = ? AND ri.instance_id = ?`,
  )
  const seen = new Set<string>()
  const out: BenchmarkExamples[] = []
  for (const col of lb.columns) {
    if (seen.has(col.benchmarkId)) continue
    seen.add(col.benchmarkId)
    const cells = lb.cells.filter((c) => c.columnKey === col.key)
    const version = cells[0]?.benchmarkVersion
    if (!version) continue
    const rows = instances.all(col.benchmarkId, version, perBenchmark) as {
      id: number
      ext_id: string
      input: string
      references_json: string
    }[]
    out.push({
      benchmarkId: col.benchmarkId,
      benchmarkName: col.benchmarkName,
      examples: rows.map((r) => ({
        instanceId: r.ext_id,
        input: cut(r.input),
        references: references(r.references_json),
        answers: cells.map((c) => {
          const a = answer.get(c.runId, c.modelKey, r.id) as { text: string | null } | undefined
          return { modelKey: c.modelKey, text: a?.text == null ? null : cut(a.text) }
        }),
      })),
    })
  }
  return out
}
