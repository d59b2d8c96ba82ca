import { basename, resolve } from 'node:path'
import type { ImportRequest, ImportResult } from '../../shared/api/benchmarks'
import type { AppContext } from '../app/context'
import { startCheckpointHelper, type CheckpointHelper } from '../db/checkpoint-helper'
import { writeLockNote } from '../db/lock-note'
import { openDatabase, type Db } from '../db/open'
import { AppError, isAppError } from '../errors'
import { findImporter, importerKind } from './importers'
import { watchSource } from './importers/file-state'
import { loadResources, type Resources } from './resources'
import type { InstanceRows } from './instance-rows'
import { storeBenchmark } from './store'
import { rowsInWorker, type ImportWorker } from './worker-rows'

/**
 * Runs an import end to end: in a worker thread the importer streams the file and its instances
 * are validated and normalized (./import-worker.ts); on this thread the store hashes and writes
 * them in one transaction (./store.ts); progress goes out as `job:progress` events.
 */

export interface RunImportOptions {
  /** Follow this import's progress through `job:progress` events with this id. */
  jobId?: string
  /** Recorded as the version's source_format (default: the importer's format). */
  sourceFormat?: string
  /** Called with bytes read and instances stored (the CLI's progress line). */
  onProgress?: (p: { bytes: number; totalBytes: number | null; instances: number }) => void
  /** Called when the import waits for another import of the same benchmark version. */
  onWait?: (message: string) => void
  /** Called with what went wrong in a helper that does not fail the import (the checkpoint helper). */
  onWarning?: (message: string) => void
  /** The import, started already (startImport: the CLI starts it before it opens the database). */
  started?: StartedImport
}

/**
 * Rows an import writes before it starts the checkpoint helper (../db/checkpoint-helper.ts): a
 * smaller import is over before the helper's first pass.
 */
export const HELPER_AFTER_ROWS = 10_000

/** The checkpoint helper of one import, started once the import has written HELPER_AFTER_ROWS rows. */
function bulkCheckpoints(ctx: AppContext) {
  let helper: CheckpointHelper | null = null
  let asked = false
  return {
    written(rows: number) {
      if (asked || rows < HELPER_AFTER_ROWS) return
      asked = true
      helper = startCheckpointHelper(ctx.workers.checkpoints, ctx)
    },
    stop: async () => (helper ? helper.stop() : null),
  }
}

/**
 * Manifest settings for table imports, completed from MedHELM's catalog (`--catalog <id>`, or a
 * benchmark id that is a catalog id) and the taxonomy (the category of the subcategory).
 */
export function completeSettings(
  res: Resources,
  req: Pick<ImportRequest, 'benchmarkId' | 'settings'>,
): Record<string, string> {
  const s: Record<string, string> = { ...(req.settings ?? {}) }
  if (s.catalog && !res.catalogById.has(s.catalog))
    throw new AppError(
      'invalid_input',
      `--catalog: "${s.catalog}" is not in MedHELM's catalog (see \`benchmarks catalog\`)`,
    )
  const entry = res.catalogById.get(s.catalog ?? req.benchmarkId ?? '')
  if (entry) {
    if (!req.benchmarkId) s.id ??= entry.id
    s.name ??= entry.name
    s.subcategory ??= entry.subcategory
    s.category ??= entry.category
    s.taskType ??= entry.taskType
    s.metric ??= entry.mainMetric.metric
    s.access ??= entry.access
    s.description ??= entry.description
    s.instructions ??= entry.prompt.instructions
    s.outputNoun ??= entry.prompt.outputNoun
    s.maxTokens ??= String(entry.prompt.maxTokens)
    s.stop ??= JSON.stringify(entry.prompt.stop)
  }
  if (s.subcategory && !s.category) {
    const key = s.subcategory.toLowerCase()
    const hit = [...res.subcategoryById.values()].find(
      (x) => x.subcategory.id === s.subcategory || x.subcategory.name.toLowerCase() === key,
    )
    if (!hit)
      throw new AppError(
        'invalid_input',
        `--subcategory: "${s.subcategory}" is not a MedHELM subcategory (see \`taxonomy\` for the ids)`,
      )
    s.subcategory = hit.subcategory.id
    s.category = hit.category.id
  }
  return s
}

/**
 * The connection an import writes through: on a database file one of its own, with a larger page
 * cache, so the app's connection is never inside one of the import's (short) chunk transactions.
 * An in-memory database has only the one connection.
 */
function importConnection(ctx: AppContext): { db: Db; close: () => void } {
  if (ctx.dbPath === ':memory:') return { db: ctx.db, close: () => undefined }
  const db = openDatabase(ctx.dbPath, {
    migrate: false,
    ...(ctx.nativeBinding ? { nativeBinding: ctx.nativeBinding } : {}),
  })
  // A larger page cache (32 MiB) for this connection: fewer B-tree pages spilled to the WAL and
  // written again while a big import streams in. No checkpoint inside the import's commit: the
  // app's connection checkpoints in the background (../app/context.ts).
  db.pragma('cache_size = -32768')
  db.pragma('wal_autocheckpoint = 0')
  return { db, close: () => db.close() }
}

function progressEmitter(
  ctx: AppContext,
  jobId: string | undefined,
  label: string,
  onProgress: RunImportOptions['onProgress'],
) {
  let bytes = 0
  let totalBytes: number | null = null
  let instances = 0
  let last = 0
  // The message is made only for a job's listeners: the first number formatted for a locale loads
  // ICU's data (~15 ms), which a CLI import, which has none, should not wait for at its end.
  const emit = (state: 'running' | 'done' | 'failed', message: (() => string) | null, force = false) => {
    const t = Date.now()
    if (!force && t - last < 100) return
    last = t
    onProgress?.({ bytes, totalBytes, instances })
    if (jobId)
      ctx.events.emit('job:progress', {
        jobId,
        kind: 'import',
        label,
        done: totalBytes === null ? instances : Math.min(bytes, totalBytes),
        total: totalBytes,
        unit: totalBytes === null ? 'instances' : 'bytes',
        state,
        message: message ? message() : `${instances.toLocaleString('en-US')} instances`,
      })
  }
  return {
    bytes: (read: number, total: number | null) => {
      bytes = read
      totalBytes = total
      emit('running', null)
    },
    instances: (n: number) => {
      instances = n
      emit('running', null)
    },
    done: (message: () => string) => {
      if (totalBytes !== null) bytes = totalBytes
      emit('done', message, true)
    },
    failed: (message: string) => emit('failed', () => message, true),
    /** A message while the import runs: it waits for another import, or a helper had a problem. */
    note: (message: string) => emit('running', () => message, true),
  }
}

/** An import whose file is being read already (startImport); runImport stores it. */
export interface StartedImport {
  /** When it started (performance.now()): the import's duration counts from here. */
  started: number
  /** The importer's format (recorded as the version's source format unless the caller says). */
  format: string
  path: string
  res: Resources
  /** The rows as the worker reads them, and the check that the file did not change meanwhile. */
  reading: Promise<{ rows: InstanceRows; checkSource: () => Promise<void> }>
  /**
   * Resolves once the worker has its job (the file's state is taken first), or reading failed
   * before: a caller that then blocks its thread (the CLI opening the database) awaits it, so the
   * worker reads meanwhile rather than after.
   */
  handedOver: Promise<void>
  /** Where the bytes read go (runImport's progress, once it runs). */
  onBytes: ((read: number, total: number | null) => void) | null
  /** Stops the worker of an import that will not be stored (its database could not be opened). */
  abandon(): void
}

/**
 * Starts reading the file of `req` in the import worker — `worker` if one was started already —
 * before the database is needed: the CLI starts an import, then opens the database while the
 * worker reads (bench/cli-import.ts). runImport does both in turn.
 */
export function startImport(
  host: Pick<AppContext, 'resourcesDir' | 'workers'>,
  req: ImportRequest,
  worker?: ImportWorker,
): StartedImport {
  const started = performance.now()
  let res: Resources
  try {
    res = loadResources(host.resourcesDir)
  } catch (e) {
    worker?.stop()
    throw e
  }
  const path = resolve(req.path)
  let handOver = () => {}
  const handedOver = new Promise<void>((r) => (handOver = r))
  const read = async () => {
    const importer = findImporter(req.format)
    const settings =
      importerKind(req.format) === 'tabular' ? completeSettings(res, req) : (req.settings ?? {})
    const checkSource = await watchSource(path)
    const job = {
      format: importer.format,
      path,
      options: {
        settings,
        ...(req.benchmarkId ? { benchmarkId: req.benchmarkId } : {}),
        ...(req.map ? { map: req.map as Record<string, string> } : {}),
      },
    }
    const rows = rowsInWorker(worker ?? host.workers.import, job, (r, t) => s.onBytes?.(r, t))
    handOver()
    return { rows: await rows, checkSource }
  }
  const s: StartedImport = {
    started,
    format: req.format,
    path,
    res,
    reading: read(),
    handedOver,
    onBytes: null,
    abandon: () => {
      worker?.stop()
      s.reading.then(
        ({ rows }) => rows.close(),
        () => undefined,
      )
    },
  }
  // Awaited, and its failure reported, by runImport; until then it is not an unhandled rejection.
  s.reading.catch(() => undefined).finally(handOver)
  return s
}

/** Runs an import end to end (`options.started`: one started already, see startImport). */
export async function runImport(
  ctx: AppContext,
  req: ImportRequest,
  options: RunImportOptions = {},
): Promise<ImportResult> {
  const s = options.started ?? startImport(ctx, req)
  const progress = progressEmitter(ctx, options.jobId, `Importing ${basename(s.path)}`, options.onProgress)
  s.onBytes = progress.bytes
  try {
    const { rows, checkSource } = await s.reading
    const result = await storeRows(ctx, s, rows, checkSource, options, progress)
    progress.instances(result.instanceCount)
    progress.done(() =>
      result.alreadyImported
        ? `Already imported: ${result.benchmarkId} ${result.version} (${result.instanceCount.toLocaleString('en-US')} instances)`
        : `Imported ${result.instanceCount.toLocaleString('en-US')} instances into ${result.benchmarkId}`,
    )
    return result
  } catch (e) {
    s.abandon()
    progress.failed(isAppError(e) ? e.message : 'Import failed')
    throw e
  }
}

/** Stores the rows through a connection of the import's own, with the checkpoint helper. */
async function storeRows(
  ctx: AppContext,
  s: StartedImport,
  rows: InstanceRows,
  checkSource: () => Promise<void>,
  options: RunImportOptions,
  progress: ReturnType<typeof progressEmitter>,
): Promise<ImportResult> {
  let conn: ReturnType<typeof importConnection> | null = null
  // The store holds the write lock while the file streams in: a run that waits for it says why.
  const removeLockNote = writeLockNote(ctx.dbPath, `an import of ${basename(s.path)}`)
  const checkpoints = bulkCheckpoints(ctx)
  try {
    conn = importConnection(ctx)
    const stored = await storeBenchmark(conn.db, rows, {
      resources: s.res,
      sourceFormat: options.sourceFormat ?? s.format,
      sourceName: basename(s.path),
      onInstances: (n) => {
        checkpoints.written(n)
        progress.instances(n)
      },
      checkSource,
      onWait: (message) => {
        progress.note(message)
        options.onWait?.(message)
      },
    })
    return { ...stored, durationMs: performance.now() - s.started }
  } finally {
    rows.close() // stops the worker if the store failed before reading every row
    const problem = await checkpoints.stop()
    if (problem) {
      progress.note(problem)
      options.onWarning?.(problem)
    }
    conn?.close()
    removeLockNote()
  }
}
