import type {
  BenchmarkDetail,
  BenchmarkSummary,
  BenchmarkVersionSummary,
  InstancesPage,
} from '../../shared/api/benchmarks'
import type { Access, TaskType } from '../../shared/benchmarks/pack'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import type { Resources } from './resources'
import { visibleVersion } from './staging'

/** Read side of the benchmarks store: summaries, details, paged instances, deletion. */

/** The source_format recorded for the bundled samples. */
export const SAMPLE_FORMAT = 'sample'

interface Row {
  id: string
  name: string
  description: string
  category_id: string | null
  subcategory_id: string | null
  task_id: string | null
  task_type: TaskType
  access: Access
  created_at: string
  vid: number
  version: string
  content_hash: string
  instance_count: number
  source_format: string
  source_name: string
  imported_at: string
  version_count: number
}

const SUMMARY_SQL = `
  SELECT b.id, b.name, b.description, b.category_id, b.subcategory_id, b.task_id, b.task_type, b.access, b.created_at,
         v.id AS vid, v.version, v.content_hash, v.instance_count, v.source_format, v.source_name, v.imported_at,
         (SELECT COUNT(*) FROM benchmark_versions x WHERE x.benchmark_id = b.id AND ${visibleVersion('x')}) AS version_count
  FROM benchmarks b
  JOIN benchmark_versions v ON v.id = (SELECT MAX(id) FROM benchmark_versions y WHERE y.benchmark_id = b.id AND ${visibleVersion('y')})`

function versionOf(r: {
  vid: number
  version: string
  content_hash: string
  instance_count: number
  source_format: string
  source_name: string
  imported_at: string
}): BenchmarkVersionSummary {
  return {
    id: r.vid,
    version: r.version,
    contentHash: r.content_hash,
    instanceCount: r.instance_count,
    sourceFormat: r.source_format,
    sourceName: r.source_name,
    importedAt: r.imported_at,
  }
}

function summaryOf(r: Row, res: Resources): BenchmarkSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    categoryId: r.category_id,
    subcategoryId: r.subcategory_id,
    subcategoryName: r.subcategory_id
      ? (res.subcategoryById.get(r.subcategory_id)?.subcategory.name ?? null)
      : null,
    taskId: r.task_id,
    taskType: r.task_type,
    access: r.access,
    catalogId: res.catalogById.has(r.id) ? r.id : null,
    sample: r.source_format === SAMPLE_FORMAT,
    createdAt: r.created_at,
    latest: versionOf(r),
    versionCount: r.version_count,
  }
}

export function listBenchmarks(db: Db, res: Resources): BenchmarkSummary[] {
  return (db.prepare(`${SUMMARY_SQL} ORDER BY b.name COLLATE NOCASE, b.id`).all() as Row[]).map((r) =>
    summaryOf(r, res),
  )
}

export function getBenchmark(db: Db, res: Resources, id: string): BenchmarkDetail {
  const row = db.prepare(`${SUMMARY_SQL} WHERE b.id = ?`).get(id) as Row | undefined
  if (!row) throw new AppError('not_found', `No benchmark "${id}" in this database (see \`benchmarks\`)`)
  const versions = db
    .prepare(
      `SELECT id AS vid, version, content_hash, instance_count, source_format, source_name, imported_at
       FROM benchmark_versions v WHERE benchmark_id = ? AND ${visibleVersion('v')} ORDER BY id DESC`,
    )
    .all(id) as Parameters<typeof versionOf>[0][]
  const manifest = db.prepare('SELECT manifest_json FROM benchmark_versions WHERE id = ?').get(row.vid) as {
    manifest_json: string
  }
  return {
    ...summaryOf(row, res),
    versions: versions.map(versionOf),
    manifest: JSON.parse(manifest.manifest_json) as Record<string, unknown>,
  }
}

export function instancesPage(
  db: Db,
  q: {
    benchmarkId: string
    version?: string | undefined
    offset: number
    limit: number
    search?: string | undefined
  },
): InstancesPage {
  const v = (
    q.version
      ? db
          .prepare(
            `SELECT id, version FROM benchmark_versions v WHERE benchmark_id = ? AND version = ? AND ${visibleVersion('v')}`,
          )
          .get(q.benchmarkId, q.version)
      : db
          .prepare(
            `SELECT id, version FROM benchmark_versions v WHERE benchmark_id = ? AND ${visibleVersion('v')} ORDER BY id DESC LIMIT 1`,
          )
          .get(q.benchmarkId)
  ) as { id: number; version: string } | undefined
  if (!v)
    throw new AppError(
      'not_found',
      `No benchmark "${q.benchmarkId}"${q.version ? ` version "${q.version}"` : ''} in this database`,
    )
  const search = q.search?.trim()
  const filter = search
    ? ` AND (instr(lower(ext_id), ?) > 0 OR instr(lower(input), ?) > 0 OR instr(lower(references_json), ?) > 0)`
    : ''
  const args: unknown[] = search ? [v.id, ...Array(3).fill(search.toLowerCase())] : [v.id]
  const total = (
    db
      .prepare(`SELECT COUNT(*) AS n FROM instances WHERE benchmark_version_id = ?${filter}`)
      .get(...args) as { n: number }
  ).n
  const rows = db
    .prepare(
      `SELECT ordinal, ext_id, split, input, choices_json, references_json, metadata_json FROM instances
       WHERE benchmark_version_id = ?${filter} ORDER BY ordinal LIMIT ? OFFSET ?`,
    )
    .all(...args, q.limit, q.offset) as {
    ordinal: number
    ext_id: string
    split: string
    input: string
    choices_json: string | null
    references_json: string
    metadata_json: string
  }[]
  return {
    benchmarkId: q.benchmarkId,
    version: v.version,
    total,
    offset: q.offset,
    rows: rows.map((r) => ({
      ordinal: r.ordinal,
      id: r.ext_id,
      split: r.split,
      input: r.input,
      choices: r.choices_json ? (JSON.parse(r.choices_json) as string[]) : null,
      references: JSON.parse(r.references_json) as string[],
      metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
    })),
  }
}

/** Deletes a benchmark with all its versions and instances (one transaction). Refused while runs use it. */
export interface BenchmarkUsage {
  runs: { id: number; name: string; status: string; createdAt: string; models: string[] }[]
  reviewSets: { id: number; runId: number; size: number; createdAt: string }[]
}

/** The runs and review sets that use a benchmark (any of its versions): what keeps it from deletion. */
export function benchmarkUsage(db: Db, id: string): BenchmarkUsage {
  const runs = db
    .prepare(
      `SELECT r.id, r.name, r.status, r.created_at AS createdAt,
              (SELECT group_concat(model_key, char(10)) FROM run_models m WHERE m.run_id = r.id) AS models
         FROM runs r
        WHERE r.id IN (SELECT rb.run_id FROM run_benchmarks rb
                         JOIN benchmark_versions v ON v.id = rb.benchmark_version_id
                        WHERE v.benchmark_id = ?)
        ORDER BY r.id`,
    )
    .all(id) as { id: number; name: string; status: string; createdAt: string; models: string | null }[]
  const reviewSets = db
    .prepare(
      `SELECT s.id, s.run_id AS runId, s.size, s.created_at AS createdAt
         FROM review_sets s JOIN benchmark_versions v ON v.id = s.benchmark_version_id
        WHERE v.benchmark_id = ? ORDER BY s.id`,
    )
    .all(id) as BenchmarkUsage['reviewSets']
  return {
    runs: runs.map((r) => ({ ...r, models: r.models ? r.models.split('\n').sort() : [] })),
    reviewSets,
  }
}

export function deleteBenchmark(db: Db, id: string): boolean {
  return db.transaction(() => {
    const { runs, reviewSets } = benchmarkUsage(db, id)
    if (runs.length > 0)
      throw new AppError(
        'conflict',
        `Benchmark "${id}" is used by ${runs.length === 1 ? 'run' : 'runs'} ${runs.map((r) => `#${r.id}`).join(', ')}` +
          (reviewSets.length
            ? ` and review ${reviewSets.length === 1 ? 'set' : 'sets'} ${reviewSets.map((r) => `#${r.id}`).join(', ')}`
            : '') +
          '; their results are evidence and keep the benchmark they were measured on',
      )
    const n = db.prepare('DELETE FROM benchmarks WHERE id = ?').run(id).changes
    if (n === 0) throw new AppError('not_found', `No benchmark "${id}" in this database`)
    return true
  })()
}
