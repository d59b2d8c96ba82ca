import {
  BenchmarkManifest,
  PackInstance,
  instanceProblems,
  type BenchmarkManifestInput,
} from '../../shared/benchmarks/pack'
import { AppError } from '../errors'
import { plainField, plainInstanceIssue } from './plain-issues'
import type { ImportedBenchmark, SourcePosition } from './importers/types'
import { pushNormalized } from './normalize'

/**
 * The middle of an import: an importer's instances, validated against the pack schema and the
 * manifest and normalized (./normalize.ts), in batches of rows ready to store. It runs
 * where the importer runs — in the import worker for a file import (./import-worker.ts), so the
 * thread that writes SQLite does nothing else — and never touches the database.
 */

export interface RowBatch {
  /** ROW_VALUES values per instance (./row-values.ts). */
  values: (string | null)[]
  /** Source line of each instance (0 when the importer does not tell). */
  lines: number[]
}

export interface RowsSummary {
  /** Instances read (valid ones, once the batches ended without an error). */
  count: number
}

export interface InstanceRows {
  manifest: BenchmarkManifest
  manifestSource: string
  /** The file `lines` refer to, when the importer tells positions. */
  file: string | null
  /**
   * The rows in file order. Throws AppError('bad_data') naming up to MAX_ISSUES invalid instances
   * by line and field once it has seen them (no row after the first invalid one is yielded).
   */
  batches: AsyncIterable<RowBatch>
  /** Instance count; known once `batches` is exhausted. */
  summary(): RowsSummary
  /** Stops reading (the store failed). */
  close(): void
}

/** At most this many instance problems are collected before the import stops. */
export const MAX_ISSUES = 50
export const ROWS_PER_BATCH = 1000

type Issue = { path: (string | number)[]; message: string }

/** instanceProblems' fields (`references.0`) as the app names them ("reference answer 1"). */
export function plainProblems(problems: { field: string; message: string }[]) {
  return problems.map((p) => ({
    field: plainField(p.field.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x))),
    message: p.message,
  }))
}

export function validateManifest(raw: BenchmarkManifestInput, source: string): BenchmarkManifest {
  // One manifest per import: zod's compiled fast path costs more to build than it saves (4 -> 2 ms).
  const parsed = BenchmarkManifest.safeParse(raw, { jitless: true })
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
    // An own "__proto__" key (JSON.parse makes one) is ordinary data here and is kept; zod's
    // record would drop it.
    if (proto !== Object.prototype && proto !== null) return null
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

/** Validates and normalizes an importer's instances into row batches. */
export function instanceRows(imported: ImportedBenchmark, batchSize = ROWS_PER_BATCH): InstanceRows {
  const manifestSource = imported.manifestSource ?? 'manifest'
  const manifest = validateManifest(imported.manifest, manifestSource)
  let count = 0
  let ended = false
  let file: string | null = null
  const iterator = imported.instances[Symbol.asyncIterator]()

  const where = (pos: SourcePosition | null, ordinal: number, id: string | undefined): (string | number)[] =>
    pos ? [pos.file, pos.line] : ['instance', ordinal + 1, ...(id ? [id] : [])]
  const describe = (path: (string | number)[]) =>
    path[0] === 'instance'
      ? `instance #${path[1]}${path[2] ? ` (id "${path[2]}")` : ''}`
      : `${path[0]} line ${path[1]}`

  async function* batches(): AsyncGenerator<RowBatch> {
    const issues: Issue[] = []
    let values: (string | null)[] = []
    let lines: number[] = []
    // One await per chunk; its instances are taken synchronously (./importers/types.ts).
    read: for (;;) {
      const next = await iterator.next()
      if (next.done) break
      const chunk = next.value
      for (let k = 0; k < chunk.length; k++) {
        const raw = chunk.instance(k)
        const pos = chunk.position(k)
        const ordinal = count++
        const plain = plainInstance(raw)
        const parsed = plain ? { success: true as const, data: plain } : PackInstance.safeParse(raw)
        const problems = parsed.success
          ? plainProblems(instanceProblems(manifest.taskType, parsed.data))
          : parsed.error.issues.map(plainInstanceIssue)
        if (problems.length || issues.length) {
          const rawId = (raw as { id?: unknown }).id
          const at = where(pos, ordinal, typeof rawId === 'string' ? rawId : undefined)
          for (const p of problems)
            if (issues.length < MAX_ISSUES) issues.push({ path: [...at, p.field], message: p.message })
          if (issues.length >= MAX_ISSUES) break read
          continue
        }
        pushNormalized(parsed.data!, values)
        if (pos) file = pos.file
        lines.push(pos?.line ?? 0)
        if (lines.length === batchSize) {
          yield { values, lines }
          values = []
          lines = []
        }
      }
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
    if (lines.length) yield { values, lines }
    ended = true
  }

  return {
    manifest,
    manifestSource,
    get file() {
      return file
    },
    batches: batches(),
    summary: () => {
      if (!ended) throw new Error('instanceRows: summary() before the rows were read')
      return { count }
    },
    close: () => void iterator.return?.(),
  }
}
