import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import type { ImportPreview, ImportRequest, InstanceRow, PreviewIssue } from '../../shared/api/benchmarks'
import { PackInstance, instanceProblems, type TaskType } from '../../shared/benchmarks/pack'
import type { AppContext } from '../app/context'
import { AppError, isAppError } from '../errors'
import { buildPrompt, PromptError } from '../runs/prompt'
import { completeSettings } from './import'
import { findImporter, importerKind } from './importers'
import {
  buildInstance,
  mapToSpec,
  openTabular,
  resolveSourceMap,
  tabularManifest,
  type ColumnMapInput,
  type ResolvedMap,
  type TabularFormat,
  type TabularRecord,
} from './importers/tabular'
import { plainInstance, plainProblems, validateManifest } from './instance-rows'
import { canonicalJson } from './normalize'
import { plainInstanceIssue } from './plain-issues'
import { loadResources } from './resources'

/**
 * The preview of an import: the first rows of a file as the import would read them, the mapping
 * WardEval would use, the instances as they would be stored, the exact prompts a model would
 * receive for the first of them, and the problems found (by line and field, in plain words). It
 * writes nothing; the import itself checks every line.
 */

export const PREVIEW_ROWS = 20
/** Prompts shown in the preview: enough to see the template at work, few enough to read. */
export const PREVIEW_PROMPTS = 3

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
  const plain = plainInstance(raw)
  const parsed = plain ? { success: true as const, data: plain } : PackInstance.safeParse(raw)
  if (!parsed.success) {
    for (const i of parsed.error.issues) issues.push({ line, ...plainInstanceIssue(i) })
    return null
  }
  for (const p of taskType ? plainProblems(instanceProblems(taskType, parsed.data)) : [])
    issues.push({ line, ...p })
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

/** Ids that repeat within the previewed rows, by the line that repeats one (never the id itself). */
export function duplicateIdIssues(rows: readonly { id: string; line: number | null }[]): PreviewIssue[] {
  const first = new Map<string, number | null>()
  const issues: PreviewIssue[] = []
  for (const r of rows) {
    if (!first.has(r.id)) first.set(r.id, r.line)
    else
      issues.push({
        line: r.line,
        field: 'instance id',
        message: `repeats the id of line ${first.get(r.id) ?? '?'}; ids must be unique, so the import would stop here`,
      })
  }
  return issues
}

/** The exact prompts of the first instances, or the problem that keeps the template from filling. */
export function previewPrompts(
  manifest: Record<string, unknown> | null,
  instances: readonly InstanceRow[],
  issues: PreviewIssue[],
): ImportPreview['prompts'] {
  const spec = (manifest as { prompt?: Parameters<typeof buildPrompt>[0] } | null)?.prompt
  if (!spec) return []
  const prompts: ImportPreview['prompts'] = []
  for (const i of instances.slice(0, PREVIEW_PROMPTS)) {
    try {
      prompts.push({ id: i.id, prompt: buildPrompt(spec, i) })
    } catch (e) {
      if (!(e instanceof PromptError)) throw e
      issues.push({ line: null, field: 'prompt', message: e.message })
      break
    }
  }
  return prompts
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    throw new AppError('not_found', `not found: ${path}`)
  }
}

export async function previewImport(ctx: AppContext, req: ImportRequest): Promise<ImportPreview> {
  const path = resolve(req.path)
  const sizeBytes = await fileSize(path)
  const base = { format: req.format, kind: importerKind(req.format), fileName: basename(path), sizeBytes }
  const body =
    base.kind === 'tabular' ? await previewTabular(ctx, req, path) : await previewImported(req, path)
  const prompts = previewPrompts(body.manifest, body.instances, body.issues)
  return { ...base, ...body, prompts }
}

type PreviewBody = Omit<ImportPreview, 'format' | 'kind' | 'fileName' | 'sizeBytes' | 'prompts'>

/** The first rows and, from the whole file where the first rows do not show them (JSONL), the mapping. */
async function firstRecords(path: string, format: TabularFormat, req: ImportRequest) {
  const src = await openTabular(path, format)
  try {
    const records: TabularRecord[] = []
    const rows: Record<string, string>[] = []
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
    let map: ResolvedMap | null = null
    let mapIssue: unknown = null
    try {
      map = await resolveSourceMap(src, req.map as ColumnMapInput | undefined, basename(path))
    } catch (e) {
      mapIssue = e
    }
    return { columns: src.columns, records, rows, map, mapIssue }
  } finally {
    src.close()
  }
}

function tabularManifestOf(ctx: AppContext, req: ImportRequest, path: string, map: ResolvedMap) {
  const settings = completeSettings(loadResources(ctx.resourcesDir), req)
  const options = { settings, ...(req.benchmarkId ? { benchmarkId: req.benchmarkId } : {}) }
  return validateManifest(tabularManifest(path, options, map.choices.length > 0), 'settings')
}

async function previewTabular(ctx: AppContext, req: ImportRequest, path: string): Promise<PreviewBody> {
  const file = basename(path)
  const first = await firstRecords(path, req.format as TabularFormat, req)
  const { columns, records, rows, map } = first
  const issues: PreviewIssue[] = []
  const instances: InstanceRow[] = []
  let manifest: Record<string, unknown> | null = null
  let taskType: TaskType | null = null
  if (first.mapIssue) issues.push(issueOf(first.mapIssue, 'map'))
  if (map) {
    try {
      const m = tabularManifestOf(ctx, req, path, map)
      manifest = m as unknown as Record<string, unknown>
      taskType = m.taskType
    } catch (e) {
      issues.push(issueOf(e, 'settings'))
    }
    const tt = taskType ?? (map.choices.length ? 'multiple_choice' : 'open_ended')
    const built: { id: string; line: number | null }[] = []
    records.forEach((rec, i) => {
      try {
        const row = toRow(i, buildInstance(rec, map!, tt, file), taskType, rec.line, issues)
        if (!row) return
        instances.push(row)
        built.push({ id: row.id, line: rec.line })
      } catch (e) {
        issues.push(issueOf(e, 'row'))
      }
    })
    issues.push(...duplicateIdIssues(built))
  }
  const spec = map ? mapToSpec(map) : ((req.map ?? {}) as Record<string, string>)
  const resolved = map && {
    input: map.input,
    reference: map.reference,
    id: map.id,
    choices: map.choices,
    split: map.split,
    metadata: map.metadata,
  }
  return { columns, rows, map: spec, resolved, manifest, instances, issues }
}

async function previewImported(req: ImportRequest, path: string): Promise<PreviewBody> {
  const issues: PreviewIssue[] = []
  const instances: InstanceRow[] = []
  const imported = await findImporter(req.format).read(path, {
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
  const built: { id: string; line: number | null }[] = []
  const it = imported.instances[Symbol.asyncIterator]()
  try {
    let i = 0
    while (i < PREVIEW_ROWS) {
      const r = await it.next()
      if (r.done) break
      const chunk = r.value
      for (let k = 0; k < chunk.length && i < PREVIEW_ROWS; k++, i++) {
        const instance = chunk.instance(k)
        const line = chunk.position(k)?.line ?? null
        const row = toRow(i, instance, taskType, line, issues)
        if (!row) continue
        instances.push(row)
        built.push({ id: row.id, line })
      }
    }
  } catch (e) {
    issues.push(issueOf(e, 'instances'))
  } finally {
    await it.return?.()
  }
  issues.push(...duplicateIdIssues(built))
  return { columns: [], rows: [], map: {}, resolved: null, manifest, instances, issues }
}
