import {
  BenchmarkManifest,
  PackInstance,
  instanceProblems,
  type BenchmarkManifestInput,
} from '../../shared/benchmarks/pack'
import type { ImportResult } from '../../shared/api/benchmarks'
import type { Db } from '../db/open'
import { AppError, isAppError } from '../errors'
import type { ImportedBenchmark } from './importers/types'
import { ContentHasher, normalizeInstance, type NormalizedInstance } from './normalize'
import { resolvePlacement, type Resources } from './resources'
import { resolveTask } from './taxonomy'

/**
 * Writes one imported benchmark — the benchmark row, a new version and every instance — in ONE
 * transaction. Every instance is validated against the pack schema and its manifest; on any
 * failure the transaction is rolled back and the database is exactly as it was. The version
 * records the sha256 of its normalized instances (./normalize.ts).
 *
 * The transaction stays open while the importer streams the file, so this must run on a
 * connection no other code writes through meanwhile (see ./import.ts).
 */

export interface StoreOptions {
  resources: Resources
  /** Importer that produced it ('pack', 'csv', 'pubmedqa', 'sample', …). */
  sourceFormat: string
  /** File name the user imported (no directory: never a path with PHI in folder names). */
  sourceName: string
  /** Called every `progressEvery` instances with the count stored so far. */
  onInstances?: (count: number) => void
  progressEvery?: number
  now?: () => string
}

/** At most this many instance problems are collected before the import stops. */
export const MAX_ISSUES = 50
const BATCH = 100
const COLS = 8

type Issue = { path: (string | number)[]; message: string }

export function validateManifest(raw: BenchmarkManifestInput, source: string): BenchmarkManifest {
  const parsed = BenchmarkManifest.safeParse(raw)
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => ({
    path: [source, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: i.message,
  }))
  const first = issues[0]!
  throw new AppError(
    'bad_data',
    `${source}: field "${first.path.slice(1).join('.') || '(root)'}": ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`,
    { issues },
  )
}

function rowsSql(n: number): string {
  const row = `(${Array.from({ length: COLS }, () => '?').join(',')})`
  return `INSERT INTO instances (benchmark_version_id, ordinal, ext_id, split, input, choices_json, references_json, metadata_json) VALUES ${Array.from({ length: n }, () => row).join(',')}`
}

const isStringArray = (v: unknown, min: number, max: number): v is string[] => {
  if (!Array.isArray(v) || v.length < min || v.length > max) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false
  return true
}

/**
 * The instance as `PackInstance.parse` would return it, when it plainly passes the schema; null
 * when zod has to look (then zod's result, and its messages, decide). Checking the few fields by
 * hand is several times cheaper than zod per instance, which matters at a million rows. It accepts
 * nothing the schema refuses.
 */
export function plainInstance(raw: unknown): PackInstance | null {
  if (raw === null || typeof raw !== 'object') return null
  const r = raw as Record<string, unknown>
  const { id, input, choices, references, split, metadata } = r
  if (typeof id !== 'string' || id.length < 1 || id.length > 200) return null
  if (typeof input !== 'string' || input.length < 1) return null
  if (choices !== undefined && !isStringArray(choices, 2, 26)) return null
  if (!isStringArray(references, 1, Infinity)) return null
  if (split !== undefined && (typeof split !== 'string' || split.length < 1)) return null
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') return null
    const proto = Object.getPrototypeOf(metadata) as unknown
    if ((proto !== Object.prototype && proto !== null) || Object.hasOwn(metadata, '__proto__')) return null
  }
  const out: PackInstance = {
    id,
    input,
    references,
    split: split ?? 'test',
    metadata: (metadata as Record<string, unknown> | undefined) ?? {},
  }
  if (choices !== undefined) out.choices = choices
  return out
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

export async function storeBenchmark(
  db: Db,
  imported: ImportedBenchmark,
  options: StoreOptions,
): Promise<ImportResult> {
  const started = performance.now()
  const now = options.now ?? (() => new Date().toISOString())
  const manifestSource = imported.manifestSource ?? 'manifest'
  const manifest = validateManifest(imported.manifest, manifestSource)

  const placement = resolvePlacement(
    options.resources,
    manifest.taxonomy.category,
    manifest.taxonomy.subcategory,
  )
  if (!placement) {
    throw new AppError(
      'bad_data',
      `${manifestSource}: field "taxonomy.subcategory": "${manifest.taxonomy.subcategory}" is not a subcategory of "${manifest.taxonomy.category}" in the MedHELM taxonomy (see \`taxonomy\` for the ids)`,
      { issues: [{ path: [manifestSource, 'taxonomy', 'subcategory'], message: 'unknown subcategory' }] },
    )
  }
  let taskId: string | null = null
  if (manifest.taxonomy.task) {
    taskId = resolveTask(db, options.resources, placement.subcategoryId, manifest.taxonomy.task)
    if (!taskId)
      throw new AppError(
        'bad_data',
        `${manifestSource}: field "taxonomy.task": "${manifest.taxonomy.task}" is not a task of ${placement.subcategoryId}; add it first (\`taxonomy add-task\`) or leave the field out`,
        { issues: [{ path: [manifestSource, 'taxonomy', 'task'], message: 'unknown task' }] },
      )
  }
  const storedManifest = {
    ...manifest,
    taxonomy: {
      category: placement.categoryId,
      subcategory: placement.subcategoryId,
      ...(taskId ? { task: taskId } : {}),
    },
  }

  const existing = db
    .prepare(
      'SELECT id, content_hash AS hash, instance_count AS n FROM benchmark_versions WHERE benchmark_id = ? AND version = ?',
    )
    .get(manifest.id, manifest.version) as { id: number; hash: string; n: number } | undefined
  const write = !existing

  const insertMany = db.prepare(rowsSql(BATCH))
  const insertOne = db.prepare(rowsSql(1))
  const hasher = new ContentHasher()
  const issues: Issue[] = []
  let versionId = 0
  let count = 0
  const batch: unknown[] = []
  /** Source line of each row in `batch` (when the importer tells positions), for duplicate-id errors. */
  const batchLines: number[] = []
  const progressEvery = options.progressEvery ?? 5000

  const where = (ordinal: number, id: string | undefined): (string | number)[] => {
    const pos = imported.position?.()
    return pos ? [pos.file, pos.line] : ['instance', ordinal + 1, ...(id ? [id] : [])]
  }
  const describe = (path: (string | number)[]) =>
    path[0] === 'instance'
      ? `instance #${path[1]}${path[2] ? ` (id "${path[2]}")` : ''}`
      : `${path[0]} line ${path[1]}`

  const flushBatch = () => {
    if (batch.length === 0) return
    try {
      if (batch.length === BATCH * COLS) insertMany.run(batch)
      else for (let i = 0; i < batch.length; i += COLS) insertOne.run(batch.slice(i, i + COLS))
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      throw duplicateError(db, versionId, batch, batchLines, imported.position?.()?.file)
    }
    batch.length = 0
    batchLines.length = 0
  }

  db.exec('BEGIN IMMEDIATE')
  try {
    if (write) {
      const at = now()
      db.prepare(
        `INSERT INTO benchmarks (id, name, category_id, subcategory_id, task_id, task_type, access, description, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, category_id = excluded.category_id,
           subcategory_id = excluded.subcategory_id, task_id = excluded.task_id, task_type = excluded.task_type,
           access = excluded.access, description = excluded.description`,
      ).run(
        manifest.id,
        manifest.name,
        placement.categoryId,
        placement.subcategoryId,
        taskId,
        manifest.taskType,
        manifest.access,
        manifest.description,
        at,
      )
      versionId = Number(
        db
          .prepare(
            `INSERT INTO benchmark_versions (benchmark_id, version, content_hash, manifest_json, source_format, source_name, instance_count, imported_at)
             VALUES (?, ?, '', ?, ?, ?, 0, ?)`,
          )
          .run(
            manifest.id,
            manifest.version,
            JSON.stringify(storedManifest),
            options.sourceFormat,
            options.sourceName,
            at,
          ).lastInsertRowid,
      )
    }

    for await (const raw of imported.instances) {
      const ordinal = count++
      const plain = plainInstance(raw)
      const parsed = plain ? { success: true as const, data: plain } : PackInstance.safeParse(raw)
      let problems: { field: string; message: string }[]
      if (!parsed.success)
        problems = parsed.error.issues.map((i) => ({
          field: i.path.join('.') || '(instance)',
          message: i.message,
        }))
      else problems = instanceProblems(manifest.taskType, parsed.data)
      if (problems.length || issues.length) {
        const rawId = (raw as { id?: unknown }).id
        const at = where(ordinal, typeof rawId === 'string' ? rawId : undefined)
        for (const p of problems)
          if (issues.length < MAX_ISSUES) issues.push({ path: [...at, p.field], message: p.message })
        if (issues.length >= MAX_ISSUES) break
        continue
      }
      const n: NormalizedInstance = normalizeInstance(parsed.data!)
      hasher.add(n)
      if (write) {
        batch.push(
          versionId,
          ordinal,
          n.id,
          n.split,
          n.input,
          n.choicesJson,
          n.referencesJson,
          n.metadataJson,
        )
        if (imported.position) batchLines.push(imported.position()?.line ?? 0)
        if (batch.length === BATCH * COLS) flushBatch()
      }
      if (options.onInstances && count % progressEvery === 0) options.onInstances(count)
    }
    if (issues.length) {
      const first = issues[0]!
      const at = first.path.slice(0, -1)
      throw new AppError(
        'bad_data',
        `${describe(at)}: field "${String(first.path[first.path.length - 1])}": ${first.message}` +
          (issues.length > 1
            ? ` (${issues.length >= MAX_ISSUES ? `${MAX_ISSUES}+` : issues.length} problems in all; nothing was imported)`
            : ' (nothing was imported)'),
        { issues },
      )
    }
    if (count === 0)
      throw new AppError('bad_data', `${options.sourceName}: no instances found (the file has no data rows)`)
    flushBatch()
    const contentHash = hasher.digest()
    const result = (alreadyImported: boolean): ImportResult => ({
      benchmarkId: manifest.id,
      name: manifest.name,
      version: manifest.version,
      instanceCount: count,
      contentHash,
      alreadyImported,
      durationMs: performance.now() - started,
    })
    if (existing) {
      db.exec('ROLLBACK')
      if (existing.hash === contentHash) return result(true)
      throw new AppError(
        'conflict',
        `${manifest.id} version "${manifest.version}" is already imported with different content (${existing.n} instances, hash ${existing.hash.slice(0, 12)}…; this file: ${count} instances, hash ${contentHash.slice(0, 12)}…). Give the new data another version (e.g. --version 2) or delete the old one.`,
      )
    }
    db.prepare('UPDATE benchmark_versions SET content_hash = ?, instance_count = ? WHERE id = ?').run(
      contentHash,
      count,
      versionId,
    )
    db.exec('COMMIT')
    options.onInstances?.(count)
    return result(false)
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK')
    if (isAppError(e)) throw e
    if (isUniqueViolation(e))
      throw new AppError('conflict', `Could not store ${manifest.id}: ${(e as Error).message}`)
    throw e
  }
}

/** Finds which instance of a failed batch repeats an id, and where it was first used. */
function duplicateError(
  db: Db,
  versionId: number,
  batch: unknown[],
  lines: number[],
  file: string | undefined,
): AppError {
  const find = db.prepare('SELECT ordinal FROM instances WHERE benchmark_version_id = ? AND ext_id = ?')
  const seen = new Map<string, number>()
  for (let i = 0; i < batch.length; i += COLS) {
    const ordinal = batch[i + 1] as number
    const id = batch[i + 2] as string
    const stored = (find.get(versionId, id) as { ordinal: number } | undefined)?.ordinal
    const before = stored !== undefined && stored !== ordinal ? stored : seen.get(id)
    if (before !== undefined) {
      const line = lines[i / COLS]
      const at = file && line ? `${file} line ${line}` : `record #${ordinal + 1}`
      return new AppError(
        'bad_data',
        `${at}: field "id": duplicate instance id "${id}" (record #${ordinal + 1} repeats the id of record #${before + 1}); ids must be unique within a benchmark (nothing was imported)`,
        {
          issues: [
            {
              path: file && line ? [file, line, 'id'] : ['instance', ordinal + 1, 'id'],
              message: `duplicate of record #${before + 1}`,
            },
          ],
        },
      )
    }
    seen.set(id, ordinal)
  }
  return new AppError('bad_data', 'duplicate instance id (nothing was imported)')
}
