import type { ImportResult } from '../../shared/api/benchmarks'
import type { Db } from '../db/open'
import { AppError, isAppError } from '../errors'
import { ROW_VALUES, type InstanceRows } from './instance-rows'
import { ContentHasher } from './normalize'
import { resolvePlacement, type Resources } from './resources'
import { resolveTask } from './taxonomy'

/**
 * Writes one imported benchmark — the benchmark row, a new version and every instance — in ONE
 * transaction, from rows already validated and normalized (./instance-rows.ts); on any failure
 * (an invalid instance reported by the rows, a duplicate id) the transaction is rolled back and
 * the database is exactly as it was. The version
 * records the sha256 of its normalized instances (./normalize.ts), taken here over the rows as
 * they are written.
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

/** Rows per INSERT statement. */
const BATCH = 100
const COLS = 2 + ROW_VALUES

function rowsSql(n: number): string {
  const row = `(${Array.from({ length: COLS }, () => '?').join(',')})`
  return `INSERT INTO instances (benchmark_version_id, ordinal, ext_id, split, input, choices_json, references_json, metadata_json) VALUES ${Array.from({ length: n }, () => row).join(',')}`
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE'
}

/** What was stored; the caller, who times the whole import, adds its duration. */
export type StoredBenchmark = Omit<ImportResult, 'durationMs'>

export async function storeBenchmark(
  db: Db,
  rows: InstanceRows,
  options: StoreOptions,
): Promise<StoredBenchmark> {
  const now = options.now ?? (() => new Date().toISOString())
  const { manifest, manifestSource } = rows

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
  let versionId = 0
  let stored = 0
  const progressEvery = options.progressEvery ?? 5000
  const params: unknown[] = new Array(BATCH * COLS)
  const one: unknown[] = new Array(COLS)

  /** Inserts a batch: BATCH rows per statement, the rest one by one. */
  const hasher = new ContentHasher()
  const insert = (values: (string | null)[], lines: number[]) => {
    const n = lines.length
    const first = stored
    try {
      let r = 0
      for (; r + BATCH <= n; r += BATCH) {
        for (let k = 0; k < BATCH; k++) {
          const v = (r + k) * ROW_VALUES
          const p = k * COLS
          params[p] = versionId
          params[p + 1] = first + r + k
          for (let j = 0; j < ROW_VALUES; j++) params[p + 2 + j] = values[v + j]
        }
        insertMany.run(params)
      }
      for (; r < n; r++) {
        one[0] = versionId
        one[1] = first + r
        for (let j = 0; j < ROW_VALUES; j++) one[2 + j] = values[r * ROW_VALUES + j]
        insertOne.run(one)
      }
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      throw duplicateError(db, versionId, first, values, lines, rows.file)
    }
    stored += n
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

    let reported = 0
    for await (const batch of rows.batches) {
      // The content hash is taken here, over the rows exactly as they are stored.
      for (let v = 0; v < batch.values.length; v += ROW_VALUES) hasher.add(batch.values, v)
      if (write) insert(batch.values, batch.lines)
      else stored += batch.lines.length
      if (options.onInstances && stored - reported >= progressEvery) {
        reported = stored
        options.onInstances(stored)
      }
    }
    const { count } = rows.summary()
    const contentHash = hasher.digest()
    if (count === 0)
      throw new AppError('bad_data', `${options.sourceName}: no instances found (the file has no data rows)`)
    const result = (alreadyImported: boolean): StoredBenchmark => ({
      benchmarkId: manifest.id,
      name: manifest.name,
      version: manifest.version,
      instanceCount: count,
      contentHash,
      alreadyImported,
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
  firstOrdinal: number,
  values: (string | null)[],
  lines: number[],
  file: string | null,
): AppError {
  const find = db.prepare('SELECT ordinal FROM instances WHERE benchmark_version_id = ? AND ext_id = ?')
  const seen = new Map<string, number>()
  for (let r = 0; r < lines.length; r++) {
    const ordinal = firstOrdinal + r
    const id = values[r * ROW_VALUES] as string
    const stored = (find.get(versionId, id) as { ordinal: number } | undefined)?.ordinal
    const before = stored !== undefined && stored !== ordinal ? stored : seen.get(id)
    if (before !== undefined) {
      const line = lines[r]
      const at = file && line ? `${file} line ${line}` : `record #${ordinal + 1}`
      return new AppError(
        'bad_data',
        `${at}: field "id": duplicate instance id (record #${ordinal + 1} repeats the id of record #${before + 1}); ids must be unique within a benchmark (nothing was imported)`,
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
