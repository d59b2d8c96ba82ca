import { basename, extname } from 'node:path'
import {
  PromptSpec,
  TASK_TYPES,
  optionLetter,
  type BenchmarkManifestInput,
  type MetricName,
  type PackInstanceInput,
  type TaskType,
} from '../../../shared/benchmarks/pack'
import { AppError, isAppError } from '../../errors'
import { parseJsonLine } from './json-checks'
import { DelimitedParser, type DelimitedProblem, type DelimitedRecord } from './delimited'
import { MAX_RECORD_BYTES, badData, fileSize, formatBytes, readLines, utf8Chunks } from './text'
import type { Importer, ImportOptions, ImportedBenchmark, InstanceChunk } from './types'

/**
 * The generic importer for private EHR extracts and any other table: CSV, TSV or JSONL of any size,
 * streamed (CSV/TSV by ./delimited.ts over strictly checked UTF-8 bytes; JSONL line by line), with a column mapping
 * `--map input=col,reference=col,id=col,choices=a|b|c,split=col,metadata=x|y`.
 *
 *   input      one column, or several joined by "+" (their texts are joined by a blank line)
 *   reference  one column, or several separated by "|" (one reference each); required
 *   id         the instance id (default: the data row's number, 1-based)
 *   choices    several option columns separated by "|", or one column holding a JSON array
 *   split      a column with the split name (default 'test')
 *   metadata   columns kept as metadata, separated by "|"; "*" (default) = every unmapped column,
 *              "-" = none
 *
 * Manifest fields come from settings (the CLI's --name, --subcategory, --task-type, …), already
 * completed from the catalog and taxonomy by ../import.ts.
 */

export type TabularFormat = 'csv' | 'tsv' | 'jsonl'
/**
 * A column mapping: each field names its column(s) either in the CLI's mini-syntax (one string,
 * columns joined by "+" for input and "|" for the others) or as a list of column names (the app's
 * dropdowns; any column name works, even one containing "+" or "|").
 */
export type ColumnMapInput = Partial<
  Record<'input' | 'reference' | 'id' | 'choices' | 'split' | 'metadata', string | string[]>
>

export interface ResolvedMap {
  input: string[]
  reference: string[]
  id: string | null
  choices: string[]
  split: string | null
  metadata: string[]
  /**
   * JSONL ("metadata=*"): every field of each record that is not mapped goes to metadata, wherever
   * in the file it first appears (`metadata` lists those seen in the first records).
   */
  rest: boolean
  /** Columns mapped to input, reference, id, choices or split. */
  used: ReadonlySet<string>
}

/** What each field is for, in the words the app and the CLI use in messages. */
/** The fields a mapping names columns for. */
export type MapField = keyof ColumnMapInput

export const MAP_FIELD_LABELS: Record<MapField, string> = {
  input: 'input (the text the model reads)',
  reference: 'reference answer',
  id: 'instance id',
  choices: 'answer options',
  split: 'split',
  metadata: 'metadata',
}

const GUESSES: Record<'input' | 'reference' | 'id' | 'choices' | 'split', string[]> = {
  input: ['input', 'question', 'prompt', 'text', 'note', 'query', 'context', 'problem', 'stem'],
  reference: [
    'references',
    'reference',
    'answer',
    'label',
    'target',
    'gold',
    'output',
    'ground_truth',
    'correct_answer',
    'answer_idx',
    'summary',
  ],
  id: ['id', 'instance_id', 'uid', 'row_id', 'example_id', 'question_id', 'note_id', 'record_id'],
  choices: ['choices', 'options'],
  split: ['split'],
}

/** Option columns such as "A".."E", "opa".."opd", "option_a", "choice 1": their order kept. */
const OPTION_COLUMN = /^(?:(?:option|opt|choice|answer)[ _-]?([a-e1-5])|op([a-e])|([a-e]))$/i

/** Parses `input=col,reference=col,...` (the CLI's --map). */
export function parseMapSpec(spec: string): ColumnMapInput {
  const map: Record<string, string> = {}
  for (const part of spec.split(',')) {
    if (!part.trim()) continue
    const eq = part.indexOf('=')
    const key = part.slice(0, eq).trim()
    const value = part.slice(eq + 1).trim()
    if (eq < 1 || !value) throw new AppError('invalid_input', `--map: "${part}" is not field=column`)
    if (!['input', 'reference', 'id', 'choices', 'split', 'metadata'].includes(key))
      throw new AppError(
        'invalid_input',
        `--map: unknown field "${key}" (fields: input, reference, id, choices, split, metadata)`,
      )
    map[key] = value
  }
  return map as ColumnMapInput
}

function optionColumns(columns: readonly string[]): string[] {
  const hits = columns.filter((c) => OPTION_COLUMN.test(c.trim()))
  return hits.length >= 2 ? hits : []
}

/** The mapping guessed from column names (case-insensitive), for the fields not given. */
export function guessMap(columns: readonly string[], given: ColumnMapInput = {}): ColumnMapInput {
  const out: ColumnMapInput = { ...given }
  const lower = new Map(columns.map((c) => [c.trim().toLowerCase(), c]))
  for (const field of Object.keys(GUESSES) as (keyof typeof GUESSES)[]) {
    if (out[field]) continue
    const hit = GUESSES[field].map((g) => lower.get(g)).find((c) => c !== undefined)
    if (hit) out[field] = [hit]
  }
  if (!out.id) {
    const id = columns.find((c) => /(?:^|[_ -])id$/i.test(c.trim()))
    if (id) out.id = [id]
  }
  if (!out.choices) {
    const options = optionColumns(columns)
    if (options.length) out.choices = options
  }
  return out
}

const SEPARATORS: Record<MapField, string> = {
  input: '+',
  reference: '|',
  id: '\u0000',
  choices: '|',
  split: '\u0000',
  metadata: '|',
}

function columnsOf(spec: string | readonly string[] | undefined, field: MapField): string[] {
  if (spec === undefined) return []
  if (typeof spec !== 'string') return spec.map((c) => c)
  return spec.split(SEPARATORS[field]).map((c) => c.trim())
}

export function resolveMap(
  given: ColumnMapInput | undefined,
  columns: readonly string[],
  file: string,
  openColumns = false,
): ResolvedMap {
  const map = guessMap(columns, given)
  const known = new Set(columns)
  const listed = `the file's columns: ${columns.map((c) => `"${c}"`).join(', ')}`
  const need = (field: MapField): string[] => {
    const cols = columnsOf(map[field], field)
    for (const c of cols)
      if (!known.has(c))
        throw badData(
          `${file} line 1: no column "${c}" in the file (chosen for the ${MAP_FIELD_LABELS[field]}); ${listed}`,
          [{ path: [file, 1, field], message: `the file has no column "${c}"` }],
        )
    return cols
  }
  for (const field of ['input', 'reference'] as const)
    if (columnsOf(map[field], field).length === 0)
      throw badData(`${file} line 1: no column is mapped to the ${MAP_FIELD_LABELS[field]}; ${listed}`, [
        { path: [file, 1, field], message: `no column chosen for the ${MAP_FIELD_LABELS[field]}` },
      ])
  const input = need('input')
  const reference = need('reference')
  const id = need('id')[0] ?? null
  const choices = need('choices')
  const split = need('split')[0] ?? null
  const used = new Set([...input, ...reference, ...choices, ...(id ? [id] : []), ...(split ? [split] : [])])
  const metaSpec = map.metadata ?? '*'
  const metadata =
    metaSpec === '*' ? columns.filter((c) => !used.has(c)) : metaSpec === '-' ? [] : need('metadata')
  return { input, reference, id, choices, split, metadata, rest: openColumns && metaSpec === '*', used }
}

export function mapToSpec(m: ResolvedMap): Record<string, string> {
  const out: Record<string, string> = { input: m.input.join('+'), reference: m.reference.join('|') }
  if (m.id) out.id = m.id
  if (m.choices.length) out.choices = m.choices.join('|')
  if (m.split) out.split = m.split
  out.metadata = m.rest ? '*' : m.metadata.length ? m.metadata.join('|') : '-'
  return out
}

// --- Reading records ---------------------------------------------------------------------------

type Getter = (column: string) => unknown

export interface TabularRecord {
  get: Getter
  /** The record's own fields, where records have fields of their own (JSONL). */
  keys?: () => string[]
  /** 1-based line where the record starts. */
  line: number
  /** 1-based data row number (header excluded). */
  row: number
}

export interface TabularSource {
  /** The header (CSV/TSV), or the fields of the first records in order of appearance (JSONL). */
  columns: string[]
  /** JSONL: the fields of every record, in order of appearance (reads the whole file once more). */
  allColumns?: () => Promise<string[]>
  /** The data records in batches, in file order. */
  records: AsyncGenerator<TabularRecord[]>
  close(): void
}

/** A CSV/TSV record: its fields and the header's column → index map (no closure per row). */
class FieldsRecord implements TabularRecord {
  constructor(
    private readonly fields: string[],
    private readonly index: Map<string, number>,
    readonly line: number,
    readonly row: number,
  ) {}
  get(column: string): unknown {
    return this.fields[this.index.get(column)!]
  }
}

function looksDelimited(header: string): string | null {
  if (header.includes('\t')) return 'tab-separated (use the tsv format)'
  if (header.includes(';')) return 'semicolon-separated (export it with commas, or as TSV)'
  if (header.includes(',')) return 'comma-separated (use the csv format)'
  if (header.includes('|')) return 'pipe-separated (export it with commas, or as TSV)'
  return null
}

/**
 * The records of a CSV/TSV file in batches (one per chunk read): each record's fields and the line
 * it starts on (./delimited.ts). A record longer than MAX_RECORD_BYTES fails without being
 * buffered whole. Blank lines are skipped.
 */
async function* delimitedRecords(
  path: string,
  format: 'csv' | 'tsv',
  onProgress: ImportOptions['onProgress'],
): AsyncGenerator<DelimitedRecord[]> {
  const file = basename(path)
  const parser = new DelimitedParser(format === 'csv' ? 0x2c : 0x09, format === 'csv')
  const raise = (problem: DelimitedProblem) =>
    badData(`${file} line ${problem.line}: ${problem.message}`, [
      { path: [file, problem.line], message: 'invalid quoting' },
    ])
  for await (const chunk of utf8Chunks(path, onProgress)) {
    const batch: DelimitedRecord[] = []
    parser.push(chunk, batch)
    if (batch.length) yield batch
    if (parser.problem) throw raise(parser.problem)
    const pending = parser.pending
    if (pending.bytes > MAX_RECORD_BYTES)
      throw badData(
        `${file} line ${pending.line}: a record is longer than ${formatBytes(MAX_RECORD_BYTES)}, the limit for one record (is the file really ${format.toUpperCase()}? an unclosed quote also causes this)`,
        [{ path: [file, pending.line], message: 'record too long' }],
      )
  }
  const batch: DelimitedRecord[] = []
  const open = parser.end(batch)
  if (batch.length) yield batch
  if (parser.problem) throw raise(parser.problem)
  if (open !== null)
    throw badData(
      `${file} line ${open}: a quoted field is never closed — the file looks truncated or has a stray quote`,
      [{ path: [file, open], message: 'quote not closed' }],
    )
}

async function openDelimited(
  path: string,
  format: 'csv' | 'tsv',
  onProgress: ImportOptions['onProgress'],
): Promise<TabularSource> {
  const file = basename(path)
  await fileSize(path)
  const batches = delimitedRecords(path, format, onProgress)
  // A batch is never empty: the first one starts with the header.
  const head = await batches.next()
  const first = head.done ? undefined : head.value[0]
  if (!first) throw badData(`${file} is empty (no header line)`)
  const columns = first.fields.map((c) => c.trim())
  if (columns.length === 1) {
    const hint = looksDelimited(columns[0]!)
    if (hint)
      throw badData(
        `${file} line ${first.line}: wrong delimiter: the header has a single column and looks ${hint}`,
        [{ path: [file, first.line], message: 'wrong delimiter' }],
      )
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i)
  if (dup !== undefined)
    throw badData(`${file} line 1: the header names column "${dup}" twice`, [
      { path: [file, 1, dup], message: 'duplicate column' },
    ])
  const index = new Map(columns.map((c, i) => [c, i]))
  let row = 0
  async function* records(): AsyncGenerator<TabularRecord[]> {
    let batch = head.done ? [] : head.value.slice(1)
    for (;;) {
      const out: TabularRecord[] = []
      for (const r of batch) {
        if (r.fields.length !== columns.length) {
          // The records before it first, so errors come in file order.
          if (out.length) yield out
          throw badData(
            `${file} line ${r.line}: wrong number of fields: expected ${columns.length} (as in the header), found ${r.fields.length}; check the delimiter and quoting`,
            [{ path: [file, r.line], message: 'wrong number of fields' }],
          )
        }
        row++
        out.push(new FieldsRecord(r.fields, index, r.line, row))
      }
      if (out.length) yield out
      const next = await batches.next()
      if (next.done) return
      batch = next.value
    }
  }
  return {
    columns,
    records: records(),
    close: () => void batches.return(undefined),
  }
}

async function openJsonl(path: string, onProgress: ImportOptions['onProgress']): Promise<TabularSource> {
  const file = basename(path)
  await fileSize(path)
  const lines = readLines(path, onProgress)
  const buffered: TabularRecord[] = []
  const columns: string[] = []
  let row = 0
  const parseObject = (text: string, line: number, last: boolean): Record<string, unknown> => {
    const value = parseJsonLine(text, file, line, last)
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw badData(`${file} line ${line}: expected a JSON object per line`, [
        { path: [file, line], message: 'not an object' },
      ])
    return value as Record<string, unknown>
  }
  const parseLine = (text: string, line: number, last: boolean): TabularRecord => {
    const obj = parseObject(text, line, last)
    row++
    return {
      get: (c) => (Object.hasOwn(obj, c) ? obj[c] : undefined),
      keys: () => Object.keys(obj),
      line,
      row,
    }
  }
  // Columns to guess the mapping from: the fields of the first records (up to 50), in order of
  // appearance. Later fields still reach metadata ("*", per record), and a mapping naming one is
  // checked against every record's fields (allColumns).
  const seen = new Set<string>()
  const collect = (keys: string[]) => {
    for (const k of keys)
      if (!seen.has(k)) {
        seen.add(k)
        columns.push(k)
      }
  }
  for (;;) {
    if (buffered.length >= 50) break
    const r = await lines.next()
    if (r.done) break
    if (r.value.text.trim() === '') continue
    const rec = parseLine(r.value.text, r.value.line, r.value.last)
    buffered.push(rec)
    collect(rec.keys!())
  }
  if (buffered.length === 0) throw badData(`${file} has no records (only blank lines)`)
  async function* records(): AsyncGenerator<TabularRecord[]> {
    let out = buffered.splice(0)
    try {
      for await (const { text, line, last } of lines) {
        if (text.trim() === '') continue
        out.push(parseLine(text, line, last))
        if (out.length >= 256) {
          yield out
          out = []
        }
      }
    } catch (e) {
      // The records before the bad line first, so errors come in file order.
      if (out.length) yield out
      throw e
    }
    if (out.length) yield out
  }
  const allColumns = async () => {
    for await (const { text, line, last } of readLines(path)) {
      if (text.trim() === '') continue
      collect(Object.keys(parseObject(text, line, last)))
    }
    return columns
  }
  return { columns, allColumns, records: records(), close: () => void lines.return(undefined) }
}

export async function openTabular(
  path: string,
  format: TabularFormat,
  onProgress?: ImportOptions['onProgress'],
): Promise<TabularSource> {
  return format === 'jsonl' ? openJsonl(path, onProgress) : openDelimited(path, format, onProgress)
}

// --- Building instances -----------------------------------------------------------------------

function text(v: unknown): string {
  if (v === undefined || v === null) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  return JSON.stringify(v)
}

function list(v: unknown, file: string, line: number, field: string): string[] {
  if (Array.isArray(v)) return v.map(text).filter((s) => s !== '')
  const s = text(v)
  if (field === 'choices' && s.trim().startsWith('[')) {
    try {
      const arr = JSON.parse(s) as unknown
      if (Array.isArray(arr)) return arr.map(text)
    } catch {
      /* reported below */
    }
    throw badData(`${file} line ${line}: field "choices": not a JSON array of option texts`, [
      { path: [file, line, 'choices'], message: 'invalid JSON array' },
    ])
  }
  if (field === 'choices' && s !== '')
    throw badData(
      `${file} line ${line}: field "choices": one choices column must hold a JSON array (or map several option columns: choices=A|B|C)`,
      [{ path: [file, line, 'choices'], message: 'not a JSON array' }],
    )
  return s === '' ? [] : [s]
}

/** Sets a field as own data, "__proto__" included (plain assignment would set the prototype). */
function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) return
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

/**
 * The metadata columns in sorted order: a row's metadata built in that order is already in the
 * canonical key order (../normalize.ts), which then needs no sorted copy of it. The last list
 * sorted is kept, as every row of a table has the same.
 */
let lastColumns: readonly string[] = []
let lastSorted: string[] = []
function sortedColumns(columns: readonly string[]): string[] {
  if (columns !== lastColumns) {
    lastColumns = columns
    lastSorted = [...columns].sort()
  }
  return lastSorted
}

export function buildInstance(
  rec: TabularRecord,
  m: ResolvedMap,
  taskType: TaskType,
  file: string,
): PackInstanceInput {
  const input =
    m.input.length === 1
      ? text(rec.get(m.input[0]!))
      : m.input
          .map((c) => text(rec.get(c)))
          .filter((s) => s.trim() !== '')
          .join('\n\n')
  let references =
    m.reference.length === 1
      ? list(rec.get(m.reference[0]!), file, rec.line, 'reference')
      : m.reference.map((c) => text(rec.get(c))).filter((s) => s !== '')
  let choices: string[] | undefined
  if (m.choices.length === 1) choices = list(rec.get(m.choices[0]!), file, rec.line, 'choices')
  else if (m.choices.length > 1) choices = m.choices.map((c) => text(rec.get(c))).filter((s) => s !== '')
  if (choices && taskType === 'multiple_choice') {
    const opts = choices
    // A reference may be the option letter, or the option's text (converted to its letter).
    references = references.map((r) => {
      const t = r.trim()
      if (/^[A-Za-z]$/.test(t) && t.toUpperCase().charCodeAt(0) - 65 < opts.length) return t.toUpperCase()
      const i = opts.findIndex((o) => o.trim() === t)
      return i >= 0 ? optionLetter(i) : r
    })
  }
  let metadata: Record<string, unknown> | undefined
  if (m.rest && rec.keys) {
    metadata = {}
    for (const c of rec.keys()) if (!m.used.has(c)) setField(metadata, c, rec.get(c))
  } else if (m.metadata.length) {
    metadata = {}
    for (const c of sortedColumns(m.metadata)) setField(metadata, c, rec.get(c))
  }
  const inst: PackInstanceInput = { id: m.id ? text(rec.get(m.id)) : String(rec.row), input, references }
  if (choices) inst.choices = choices
  if (m.split) {
    const s = text(rec.get(m.split))
    if (s) inst.split = s
  }
  if (metadata) inst.metadata = metadata
  return inst
}

const DEFAULT_METRIC: Record<TaskType, MetricName> = {
  multiple_choice: 'exact_match',
  classification: 'exact_match',
  numeric: 'exact_match',
  sql: 'ehrsql_execution_accuracy',
  open_ended: 'jury',
}

export const DEFAULT_JURY_CRITERIA = [
  {
    id: 'accuracy',
    name: 'Accuracy',
    description: 'Is the clinical content correct, given the input and current guidelines?',
  },
  {
    id: 'completeness',
    name: 'Completeness',
    description: 'Does the output include every important detail the task needs?',
  },
  { id: 'clarity', name: 'Clarity', description: 'Is it easy to understand for the intended reader?' },
]

function slugOf(s: string): string {
  const slug = s
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 80)
  return slug || 'benchmark'
}

const DEFAULT_TEMPLATE = PromptSpec.shape.template.parse(undefined)

/** The manifest of a tabular import, from the settings (see ../import.ts completeSettings). */
export function tabularManifest(
  path: string,
  options: ImportOptions,
  hasChoices: boolean,
): BenchmarkManifestInput {
  const s = options.settings ?? {}
  const base = basename(path, extname(path))
  if (!s.subcategory)
    throw new AppError(
      'invalid_input',
      'choose where the benchmark belongs in the taxonomy (a subcategory), or a MedHELM benchmark to take it from',
    )
  const taskType = (s.taskType ?? (hasChoices ? 'multiple_choice' : 'open_ended')) as TaskType
  if (!TASK_TYPES.includes(taskType))
    throw new AppError('invalid_input', `the task type must be one of ${TASK_TYPES.join(', ')}`)
  const main = (s.metric ?? DEFAULT_METRIC[taskType]) as MetricName
  const metrics: { name: MetricName; main: boolean }[] = [{ name: main, main: true }]
  if (main === 'jury' && taskType === 'open_ended') metrics.push({ name: 'rouge_l', main: false })
  let stop: string[] = []
  if (s.stop) {
    try {
      stop = JSON.parse(s.stop) as string[]
    } catch {
      throw new AppError('invalid_input', '--stop must be a JSON array of strings')
    }
  }
  const maxTokens = s.maxTokens ? Number(s.maxTokens) : undefined
  return {
    id: options.benchmarkId ?? s.id ?? slugOf(base),
    name: s.name ?? base,
    version: s.version ?? '1',
    description: s.description ?? '',
    taxonomy: {
      category: s.category ?? s.subcategory,
      subcategory: s.subcategory,
      ...(s.task ? { task: s.task } : {}),
    },
    access: (s.access ?? 'private') as 'public' | 'gated' | 'private',
    taskType,
    prompt: {
      instructions: s.instructions ?? '',
      // The pack's default template lists {{choices}}, which an instance without options cannot
      // fill: a table without option columns gets the template without them.
      template: s.template ?? (hasChoices ? DEFAULT_TEMPLATE : '{{instructions}}\n\n{{input}}'),
      outputNoun: s.outputNoun ?? '',
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      stop,
    },
    metrics,
    ...(metrics.some((x) => x.name === 'jury') ? { jury: { criteria: DEFAULT_JURY_CRITERIA } } : {}),
    source: { name: basename(path), url: '', license: s.license ?? '', citation: '', commit: '' },
  }
}

/**
 * The column mapping of a source. When the first records' fields do not satisfy it (a mapped or a
 * required field first appears further down a JSONL file), every record's fields are read and the
 * mapping resolved against them.
 */
export async function resolveSourceMap(
  src: TabularSource,
  given: ColumnMapInput | undefined,
  file: string,
): Promise<ResolvedMap> {
  const open = src.allColumns !== undefined
  try {
    return resolveMap(given, src.columns, file, open)
  } catch (e) {
    if (!src.allColumns || !isAppError(e) || e.code !== 'bad_data') throw e
    return resolveMap(given, await src.allColumns(), file, open)
  }
}

export async function readTabular(
  path: string,
  format: TabularFormat,
  options: ImportOptions,
): Promise<ImportedBenchmark> {
  const src = await openTabular(path, format, options.onProgress)
  const file = basename(path)
  let map: ResolvedMap
  let manifest: BenchmarkManifestInput
  try {
    map = await resolveSourceMap(src, options.map as ColumnMapInput | undefined, file)
    manifest = tabularManifest(path, options, map.choices.length > 0)
  } catch (e) {
    src.close()
    throw e
  }
  const taskType = manifest.taskType as TaskType
  // A chunk per batch of records: each row becomes an instance only when it is taken.
  async function* instances(): AsyncGenerator<InstanceChunk> {
    try {
      for await (const batch of src.records)
        yield {
          length: batch.length,
          instance: (i) => buildInstance(batch[i]!, map, taskType, file),
          position: (i) => ({ file, line: batch[i]!.line }),
        }
    } finally {
      src.close()
    }
  }
  return { manifest, instances: instances(), manifestSource: `${file} (settings)` }
}

function tabularImporter(format: TabularFormat, description: string): Importer {
  return {
    format,
    description,
    expects: `a .${format} file (UTF-8) with ${format === 'jsonl' ? 'one JSON object per line' : 'a header line'}; its columns are mapped to id, question, answer and options`,
    read: (path, options) => readTabular(path, format, options),
  }
}

export const csvImporter = tabularImporter(
  'csv',
  'Any comma-separated table (e.g. a private EHR extract), streamed, with a column mapping.',
)
export const tsvImporter = tabularImporter('tsv', 'Any tab-separated table, streamed, with a column mapping.')
export const jsonlImporter = tabularImporter(
  'jsonl',
  'Any JSON Lines file (one object per line), streamed, with a field mapping.',
)
