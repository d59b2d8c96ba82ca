import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type {
  ImportPreview,
  ImportRequest,
  ImportResult,
  InstanceRow,
  PreviewIssue,
} from '../../shared/api/benchmarks'
import { PackInstance, instanceProblems, type TaskType } from '../../shared/benchmarks/pack'
import type { AppContext } from '../app/context'
import { writeLockNote } from '../db/lock-note'
import { openDatabase, type Db } from '../db/open'
import { AppError, isAppError } from '../errors'
import { findImporter, importerKind } from './importers'
import {
  buildInstance,
  mapToSpec,
  openTabular,
  resolveMap,
  tabularManifest,
  type ColumnMapInput,
  type TabularFormat,
} from './importers/tabular'
import { validateManifest } from './instance-rows'
import { canonicalJson } from './normalize'
import { loadResources, type Resources } from './resources'
import { storeBenchmark } from './store'
import { rowsInWorker } from './worker-rows'

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
 * The connection an import writes through. The store keeps its transaction open while the file
 * streams in, so on a database file it gets a connection of its own: other code keeps reading
 * through the app's connection (WAL) and never sees, or joins, the half-written import. An
 * in-memory database has only the one connection.
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
  const emit = (state: 'running' | 'done' | 'failed', message: string | null, force = false) => {
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
        message: message ?? `${instances.toLocaleString('en-US')} instances`,
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
    done: (message: string) => {
      if (totalBytes !== null) bytes = totalBytes
      emit('done', message, true)
    },
    failed: (message: string) => emit('failed', message, true),
  }
}

export async function runImport(
  ctx: AppContext,
  req: ImportRequest,
  options: RunImportOptions = {},
): Promise<ImportResult> {
  const started = performance.now()
  const res = loadResources(ctx.resourcesDir)
  const path = resolve(req.path)
  const progress = progressEmitter(ctx, options.jobId, `Importing ${basename(path)}`, options.onProgress)
  try {
    const importer = findImporter(req.format)
    const settings =
      importerKind(req.format) === 'tabular' ? completeSettings(res, req) : (req.settings ?? {})
    const rows = await rowsInWorker(
      ctx.workers.import,
      {
        format: importer.format,
        path,
        options: {
          settings,
          ...(req.benchmarkId ? { benchmarkId: req.benchmarkId } : {}),
          ...(req.map ? { map: req.map as Record<string, string> } : {}),
        },
      },
      progress.bytes,
    )
    let result: ImportResult
    let conn: ReturnType<typeof importConnection> | null = null
    // The store holds the write lock while the file streams in: a run that waits for it says why.
    const removeLockNote = writeLockNote(ctx.dbPath, `an import of ${basename(path)}`)
    try {
      conn = importConnection(ctx)
      const stored = await storeBenchmark(conn.db, rows, {
        resources: res,
        sourceFormat: options.sourceFormat ?? importer.format,
        sourceName: basename(path),
        onInstances: progress.instances,
      })
      result = { ...stored, durationMs: performance.now() - started }
    } finally {
      rows.close() // stops the worker if the store failed before reading every row
      conn?.close()
      removeLockNote()
    }
    progress.instances(result.instanceCount)
    progress.done(
      result.alreadyImported
        ? `Already imported: ${result.benchmarkId} ${result.version} (${result.instanceCount.toLocaleString('en-US')} instances)`
        : `Imported ${result.instanceCount.toLocaleString('en-US')} instances into ${result.benchmarkId}`,
    )
    return result
  } catch (e) {
    progress.failed(isAppError(e) ? e.message : 'Import failed')
    throw e
  }
}

// --- Preview ----------------------------------------------------------------------------------

export const PREVIEW_ROWS = 20

function issueOf(e: unknown, field: string): PreviewIssue {
  if (!isAppError(e)) throw e
  const first = e.issues?.[0]?.path
  const line = first && typeof first[1] === 'number' ? first[1] : null
  return { line, field: first && typeof first[2] === 'string' ? first[2] : field, message: e.message }
}

function toRow(
  ordinal: number,
  raw: unknown,
  taskType: TaskType | null,
  line: number | null,
  issues: PreviewIssue[],
): InstanceRow | null {
  const parsed = PackInstance.safeParse(raw)
  if (!parsed.success) {
    for (const i of parsed.error.issues)
      issues.push({ line, field: i.path.join('.') || '(instance)', message: i.message })
    return null
  }
  for (const p of taskType ? instanceProblems(taskType, parsed.data) : []) issues.push({ line, ...p })
  const i = parsed.data
  return {
    ordinal,
    id: i.id,
    split: i.split,
    input: i.input,
    choices: i.choices ?? null,
    references: i.references,
    metadata: JSON.parse(canonicalJson(i.metadata)) as Record<string, unknown>,
  }
}

/** The first rows of a file as the import would read them, with the columns and any problems. */
export async function previewImport(ctx: AppContext, req: ImportRequest): Promise<ImportPreview> {
  const res = loadResources(ctx.resourcesDir)
  const path = resolve(req.path)
  const importer = findImporter(req.format)
  const kind = importerKind(req.format)
  let sizeBytes = 0
  try {
    sizeBytes = (await stat(path)).size
  } catch {
    throw new AppError('not_found', `not found: ${path}`)
  }
  const issues: PreviewIssue[] = []
  const instances: InstanceRow[] = []
  const base = { format: req.format, kind, fileName: basename(path), sizeBytes }

  if (kind === 'tabular') {
    const src = await openTabular(path, req.format as TabularFormat)
    try {
      const rows: Record<string, string>[] = []
      const records = []
      read: for await (const batch of src.records)
        for (const rec of batch) {
          records.push(rec)
          const row: Record<string, string> = {}
          for (const c of src.columns) {
            const v = rec.get(c)
            row[c] = v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v)
          }
          rows.push(row)
          if (rows.length >= PREVIEW_ROWS) break read
        }
      let map: ReturnType<typeof resolveMap> | null = null
      let manifest: Record<string, unknown> | null = null
      let taskType: TaskType | null = null
      try {
        map = resolveMap(req.map as ColumnMapInput | undefined, src.columns, base.fileName)
      } catch (e) {
        issues.push(issueOf(e, 'map'))
      }
      if (map) {
        try {
          const settings = completeSettings(res, req)
          const m = validateManifest(
            tabularManifest(
              path,
              { settings, ...(req.benchmarkId ? { benchmarkId: req.benchmarkId } : {}) },
              map.choices.length > 0,
            ),
            'settings',
          )
          manifest = m as unknown as Record<string, unknown>
          taskType = m.taskType
        } catch (e) {
          issues.push(issueOf(e, 'settings'))
        }
        const tt = taskType ?? (map.choices.length ? 'multiple_choice' : 'open_ended')
        records.forEach((rec, i) => {
          try {
            const row = toRow(i, buildInstance(rec, map!, tt, base.fileName), taskType, rec.line, issues)
            if (row) instances.push(row)
          } catch (e) {
            issues.push(issueOf(e, 'row'))
          }
        })
      }
      const guessed = map ? mapToSpec(map) : ((req.map ?? {}) as Record<string, string>)
      return { ...base, columns: src.columns, rows, map: guessed, manifest, instances, issues }
    } finally {
      src.close()
    }
  }

  const imported = await importer.read(path, {
    settings: req.settings ?? {},
    ...(req.benchmarkId ? { benchmarkId: req.benchmarkId } : {}),
  })
  let manifest: Record<string, unknown> | null = null
  let taskType: TaskType | null = null
  try {
    const m = validateManifest(imported.manifest, imported.manifestSource ?? 'manifest')
    manifest = m as unknown as Record<string, unknown>
    taskType = m.taskType
  } catch (e) {
    issues.push(issueOf(e, 'manifest'))
  }
  const it = imported.instances[Symbol.asyncIterator]()
  try {
    for (let i = 0; i < PREVIEW_ROWS; i++) {
      const r = await it.next()
      if (r.done) break
      const row = toRow(i, r.value, taskType, imported.position?.()?.line ?? null, issues)
      if (row) instances.push(row)
    }
  } catch (e) {
    issues.push(issueOf(e, 'instances'))
  } finally {
    await it.return?.()
  }
  return { ...base, columns: [], rows: [], map: {}, manifest, instances, issues }
}
