import type { ImportResult } from '../../shared/api/benchmarks'
import type { Db } from '../db/open'
import { AppError, isAppError } from '../errors'
import type { InstanceRows, RowBatch } from './instance-rows'
import { ROW_VALUES } from './row-values'
import { ContentHasher } from './content-hash'
import { resolvePlacement, type Resources } from './resources'
import {
  HEARTBEAT_MS,
  heartbeat,
  newOwner,
  removeOrphanedStaging,
  removeStaging,
  type StagingRow,
} from './staging'
import { resolveTask } from './taxonomy'

/**
 * Writes one imported benchmark — the benchmark row, a new version and every instance — from rows
 * already validated and normalized (./instance-rows.ts). The rows go in small transactions under
 * a staged version nobody sees (./staging.ts), so the write lock is never held for long and a run
 * in another process keeps going; one short final transaction makes the version visible. On any
 * failure (an invalid instance reported by the rows, a duplicate id, the file changing) the staged
 * rows are removed: the import leaves either nothing or the whole result, and a killed process's
 * staged rows are removed by the next open. The version records the sha256 of its normalized
 * instances (./normalize.ts), taken here over the rows as they are written.
 *
 * Two imports of the same benchmark version never collide: the second waits for the first and
 * then reports "already imported" (same content) or a conflict.
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
  /** Called once when another import of the same benchmark version must finish first. */
  onWait?: (message: string) => void
  /** How often a waiting import looks again (ms, default 200). */
  waitPollMs?: number
  /** Throws when the source changed while it was read (../importers/file-state.ts); run before anything becomes visible. */
  checkSource?: () => Promise<void>
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

interface Target {
  manifest: InstanceRows['manifest']
  stored: string
  categoryId: string
  subcategoryId: string
  taskId: string | null
}

/** The manifest's taxonomy placement, checked against the taxonomy, and the manifest as stored. */
function placeManifest(db: Db, rows: InstanceRows, resources: Resources): Target {
  const { manifest, manifestSource } = rows
  const placement = resolvePlacement(resources, manifest.taxonomy.category, manifest.taxonomy.subcategory)
  if (!placement) {
    throw new AppError(
      'bad_data',
      `${manifestSource}: field "taxonomy.subcategory": "${manifest.taxonomy.subcategory}" is not a subcategory of "${manifest.taxonomy.category}" in the MedHELM taxonomy (see \`taxonomy\` for the ids)`,
      { issues: [{ path: [manifestSource, 'taxonomy', 'subcategory'], message: 'unknown subcategory' }] },
    )
  }
  let taskId: string | null = null
  if (manifest.taxonomy.task) {
    taskId = resolveTask(db, resources, placement.subcategoryId, manifest.taxonomy.task)
    if (!taskId)
      throw new AppError(
        'bad_data',
        `${manifestSource}: field "taxonomy.task": "${manifest.taxonomy.task}" is not a task of ${placement.subcategoryId}; add it first (\`taxonomy add-task\`) or leave the field out`,
        { issues: [{ path: [manifestSource, 'taxonomy', 'task'], message: 'unknown task' }] },
      )
  }
  const taxonomy = {
    category: placement.categoryId,
    subcategory: placement.subcategoryId,
    ...(taskId ? { task: taskId } : {}),
  }
  return { manifest, stored: JSON.stringify({ ...manifest, taxonomy }), ...placement, taskId }
}

/** The benchmark row's values, in the column order of BENCHMARK_SQL. */
function benchmarkValues(t: Target, at: string): unknown[] {
  const m = t.manifest
  return [m.id, m.name, t.categoryId, t.subcategoryId, t.taskId, m.taskType, m.access, m.description, at]
}
const BENCHMARK_COLUMNS =
  'INSERT INTO benchmarks (id, name, category_id, subcategory_id, task_id, task_type, access, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'

type Slot =
  | { kind: 'stage'; versionId: number; owner: ReturnType<typeof newOwner> }
  | { kind: 'existing'; hash: string; n: number }
  | { kind: 'busy'; row: StagingRow }

/**
 * In one short transaction: the version already imported, another live import of the same
 * version, or a new staged (invisible) version row owned by this import.
 */
function trySlot(db: Db, t: Target, options: StoreOptions, at: string): Slot {
  return db
    .transaction((): Slot => {
      const existing = db
        .prepare(
          `SELECT v.id, v.content_hash AS hash, v.instance_count AS n, s.version_id AS staged
           FROM benchmark_versions v LEFT JOIN import_staging s ON s.version_id = v.id
           WHERE v.benchmark_id = ? AND v.version = ?`,
        )
        .get(t.manifest.id, t.manifest.version) as
        { id: number; hash: string; n: number; staged: number | null } | undefined
      if (existing && existing.staged === null)
        return { kind: 'existing', hash: existing.hash, n: existing.n }
      if (existing)
        return {
          kind: 'busy',
          row: db.prepare('SELECT * FROM import_staging WHERE version_id = ?').get(existing.id) as StagingRow,
        }
      const created = db
        .prepare(`${BENCHMARK_COLUMNS} ON CONFLICT(id) DO NOTHING`)
        .run(...benchmarkValues(t, at))
      const versionId = Number(
        db
          .prepare(
            `INSERT INTO benchmark_versions (benchmark_id, version, content_hash, manifest_json, source_format, source_name, instance_count, imported_at)
             VALUES (?, ?, '', ?, ?, ?, 0, ?)`,
          )
          .run(t.manifest.id, t.manifest.version, t.stored, options.sourceFormat, options.sourceName, at)
          .lastInsertRowid,
      )
      const owner = newOwner()
      db.prepare(
        `INSERT INTO import_staging (version_id, token, owner_host, owner_pid, created_benchmark, source_name, started_at, heartbeat_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        versionId,
        owner.token,
        owner.host,
        owner.pid,
        created.changes,
        options.sourceName,
        at,
        Date.now(),
      )
      return { kind: 'stage', versionId, owner }
    })
    .immediate()
}

/**
 * The slot this import writes to. While another live import stages the same benchmark version,
 * waits for it to finish (saying so through `onWait`), then compares with what it stored.
 */
async function claimSlot(db: Db, t: Target, options: StoreOptions, at: string) {
  let told = false
  for (;;) {
    removeOrphanedStaging(db)
    const slot = trySlot(db, t, options, at)
    if (slot.kind !== 'busy') return slot
    if (!told) {
      told = true
      const who =
        slot.row.owner_pid === process.pid
          ? 'this process'
          : `process ${slot.row.owner_pid} on ${slot.row.owner_host}`
      options.onWait?.(
        `Waiting: another import of ${t.manifest.id} version "${t.manifest.version}" (${slot.row.source_name || 'a file'}, ${who}) is in progress`,
      )
    }
    await new Promise((r) => setTimeout(r, options.waitPollMs ?? 200))
  }
}

export async function storeBenchmark(
  db: Db,
  rows: InstanceRows,
  options: StoreOptions,
): Promise<StoredBenchmark> {
  const at = (options.now ?? (() => new Date().toISOString()))()
  const t = placeManifest(db, rows, options.resources)
  const slot = await claimSlot(db, t, options, at)
  const result = (count: number, contentHash: string, alreadyImported: boolean): StoredBenchmark => ({
    benchmarkId: t.manifest.id,
    name: t.manifest.name,
    version: t.manifest.version,
    instanceCount: count,
    contentHash,
    alreadyImported,
  })
  if (slot.kind === 'existing') {
    const { count, contentHash } = await consumeRows(rows, options)
    await options.checkSource?.()
    if (slot.hash === contentHash) return result(count, contentHash, true)
    throw new AppError(
      'conflict',
      `${t.manifest.id} version "${t.manifest.version}" is already imported with different content (${slot.n} instances, hash ${slot.hash.slice(0, 12)}…; this file: ${count} instances, hash ${contentHash.slice(0, 12)}…). Give the new data another version (e.g. --version 2) or delete the old one.`,
    )
  }
  const beat = setInterval(() => heartbeatQuietly(db, slot.owner.token), HEARTBEAT_MS)
  beat.unref()
  try {
    const { count, contentHash } = await writeStaged(db, rows, slot.versionId, slot.owner.token, options)
    await options.checkSource?.()
    publish(db, t, slot, count, contentHash, at)
    options.onInstances?.(count)
    return result(count, contentHash, false)
  } catch (e) {
    clearInterval(beat)
    try {
      removeStaging(db, slot.versionId)
    } catch {
      // Left for the next open or import, which removes a dead import's staged rows.
    }
    if (isAppError(e)) throw e
    if (isUniqueViolation(e))
      throw new AppError('conflict', `Could not store ${t.manifest.id}: ${(e as Error).message}`)
    throw e
  } finally {
    clearInterval(beat)
    slot.owner.release()
  }
}

/**
 * Renews the heartbeat from a timer, for an import whose rows come slowly. A failure here is not
 * lost: every chunk renews the heartbeat too and fails the import if the database refuses it.
 */
function heartbeatQuietly(db: Db, token: string): void {
  try {
    heartbeat(db, token)
  } catch {
    // reported by the next chunk's write (see above); a timer must not throw
  }
}

function noInstances(options: StoreOptions): AppError {
  return new AppError('bad_data', `${options.sourceName}: no instances found (the file has no data rows)`)
}

/**
 * Reads every row, taking the content hash over the rows exactly as they are stored (outside any
 * write lock), and hands each batch to `write` when the version is being stored.
 */
async function consumeRows(
  rows: InstanceRows,
  options: StoreOptions,
  write?: (batch: RowBatch, first: number) => void,
): Promise<{ count: number; contentHash: string }> {
  const hasher = new ContentHasher()
  let n = 0
  let reported = 0
  for await (const batch of rows.batches) {
    for (let v = 0; v < batch.values.length; v += ROW_VALUES) hasher.add(batch.values, v)
    write?.(batch, n)
    n += batch.lines.length
    if (options.onInstances && n - reported >= (options.progressEvery ?? 5000)) {
      reported = n
      options.onInstances(n)
    }
  }
  const { count } = rows.summary()
  if (count === 0) throw noInstances(options)
  return { count, contentHash: hasher.digest() }
}

/** Makes the staged version visible, in one short transaction. */
function publish(
  db: Db,
  t: Target,
  slot: Extract<Slot, { kind: 'stage' }>,
  count: number,
  contentHash: string,
  at: string,
): void {
  db.transaction(() => {
    const gone = db
      .prepare('DELETE FROM import_staging WHERE version_id = ? AND token = ?')
      .run(slot.versionId, slot.owner.token)
    if (gone.changes !== 1)
      throw new AppError(
        'conflict',
        `${t.manifest.id} version "${t.manifest.version}": this import's staged rows were removed while it ran (it was taken for dead); nothing was imported — import the file again`,
      )
    db.prepare(
      `${BENCHMARK_COLUMNS}
       ON CONFLICT(id) DO UPDATE SET name = excluded.name, category_id = excluded.category_id,
         subcategory_id = excluded.subcategory_id, task_id = excluded.task_id, task_type = excluded.task_type,
         access = excluded.access, description = excluded.description`,
    ).run(...benchmarkValues(t, at))
    db.prepare('UPDATE benchmark_versions SET content_hash = ?, instance_count = ? WHERE id = ?').run(
      contentHash,
      count,
      slot.versionId,
    )
  }).immediate()
}

/** Writes the rows under the staged version, one short transaction per batch. */
async function writeStaged(
  db: Db,
  rows: InstanceRows,
  versionId: number,
  token: string,
  options: StoreOptions,
): Promise<{ count: number; contentHash: string }> {
  const insertMany = db.prepare(rowsSql(BATCH))
  const insertOne = db.prepare(rowsSql(1))
  const beat = db.prepare('UPDATE import_staging SET heartbeat_ms = ? WHERE token = ?')
  const params: unknown[] = new Array(BATCH * COLS)
  const one: unknown[] = new Array(COLS)
  const insert = (values: (string | null)[], n: number, stored: number) => {
    let r = 0
    for (; r + BATCH <= n; r += BATCH) {
      for (let k = 0; k < BATCH; k++) {
        const v = (r + k) * ROW_VALUES
        const p = k * COLS
        params[p] = versionId
        params[p + 1] = stored + r + k
        for (let j = 0; j < ROW_VALUES; j++) params[p + 2 + j] = values[v + j]
      }
      // Spread: better-sqlite3 binds arguments directly, an array's elements one lookup at a time
      // (bench/cli-import.ts; ~8 % of the insert in isolation).
      insertMany.run(...params)
    }
    for (; r < n; r++) {
      one[0] = versionId
      one[1] = stored + r
      for (let j = 0; j < ROW_VALUES; j++) one[2 + j] = values[r * ROW_VALUES + j]
      insertOne.run(...one)
    }
    if (beat.run(Date.now(), token).changes !== 1)
      throw new AppError(
        'conflict',
        `this import's staged rows were removed while it ran (it was taken for dead); nothing was imported — import the file again`,
      )
  }
  const chunk = db.transaction(insert)
  return consumeRows(rows, options, (batch, stored) => {
    try {
      chunk.immediate(batch.values, batch.lines.length, stored)
    } catch (e) {
      if (!isUniqueViolation(e)) throw e
      throw duplicateError(db, versionId, stored, batch.values, batch.lines, rows.file)
    }
  })
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
