import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError, foundInstead } from '../../../errors'
import { depthProblem, stringProblem } from '../json-checks'
import { openTabular } from '../tabular'
import { fileSize, readLines, readTextFile } from '../text'
import { jsonLineMessage, jsonSyntaxProblem, lineAndColumn } from '../../../json/syntax-error'

/**
 * Reading the files of published datasets: whole JSON documents, JSON Lines and CSV, strictly.
 * Decoding (strict UTF-8, a bound on one line or record, byte progress) and CSV parsing are the
 * import pipeline's own (../text, ../tabular), so every importer reads text the same way; this
 * module adds what the published formats need on top: a whole-document JSON reader, required
 * columns, Python-compatible newlines, and field accessors whose errors name the file, the line
 * (or record) and the field — AppError('bad_data') throughout.
 */

export type ProgressFn = (read: number, total: number | null) => void

/** Where a value came from, for error messages. */
export interface Location {
  file: string
  /** 1-based line in the file (JSONL, CSV, XML). */
  line?: number
  /** A record index or key when there are no useful line numbers (e.g. `data[3]`, `PMID 123`). */
  record?: string
}

/** The file as messages name it: its base name (and, inside an archive, the entry: "a.xlsx!xl/sheet1.xml"). */
export function displayName(file: string): string {
  const bang = file.indexOf('!')
  return bang === -1 ? basename(file) : `${basename(file.slice(0, bang))}${file.slice(bang)}`
}

/** "file.csv line 12", "file.json, PMID 123", as the pipeline's own messages read. */
export function describeLocation(loc: Location): string {
  let where = displayName(loc.file)
  if (loc.line !== undefined) where += ` line ${loc.line}`
  if (loc.record !== undefined) where += `, ${loc.record}`
  return where
}

/** A malformed-input error naming the file, the line or record, and the field. */
export function dataError(loc: Location, field: string | null, message: string): AppError {
  const where = describeLocation(loc)
  const path: (string | number)[] = [displayName(loc.file)]
  if (loc.line !== undefined) path.push(loc.line)
  if (loc.record !== undefined) path.push(loc.record)
  if (field !== null) path.push(field)
  return new AppError(
    'bad_data',
    field === null ? `${where}: ${message}` : `${where}, field "${field}": ${message}`,
    {
      issues: [{ path, message }],
    },
  )
}

export { fileSize }

/** Checks that `path` is a folder. */
export async function requireFolder(path: string, what: string): Promise<void> {
  let info
  try {
    info = await stat(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppError('not_found', `folder not found: ${path}`)
    throw new AppError('bad_data', `${path}: cannot be read (${(e as Error).message})`, { cause: e })
  }
  if (!info.isDirectory()) throw new AppError('bad_data', `${path}: expected a folder holding ${what}`)
}

/** Whether `path` exists (file or folder). */
export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

export { readTextFile }

/** A JSON.parse failure as a message with line and column, never quoting the text (patient data). */
function jsonSyntaxError(text: string): { line: number; message: string } {
  const p = jsonSyntaxProblem(text)
  return {
    line: p.line,
    message: p.truncated
      ? `invalid JSON at column ${p.column}: ${p.problem} — the file looks truncated`
      : `invalid JSON at column ${p.column}: ${p.problem}`,
  }
}

/** Parses a JSON document of a few MB whole (JSON Lines go through readJsonLines). */
export async function readJsonFile(path: string, onProgress?: ProgressFn): Promise<unknown> {
  return parseJsonText(await readTextFile(path, onProgress), path)
}

export function parseJsonText(text: string, path: string): unknown {
  const deep = depthProblem(text)
  if (deep) throw dataError({ file: path, line: lineAndColumn(text, deep.offset!).line }, null, deep.message)
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch {
    const { line, message } = jsonSyntaxError(text)
    throw dataError({ file: path, line }, null, message)
  }
  const bad = stringProblem(text, value)
  if (bad) throw dataError({ file: path }, bad.field, bad.message)
  return value
}

/**
 * The keys of a JSON document's top-level object in file order. JSON.parse orders integer-like
 * keys (PMIDs) numerically; Python's json keeps file order, and importers yield instances in it.
 */
export function topLevelKeys(text: string): string[] {
  const keys: string[] = []
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      if (depth === 1) {
        let k = j + 1
        while (k < text.length && /\s/.test(text[k]!)) k++
        if (text[k] === ':') keys.push(JSON.parse(text.slice(i, j + 1)) as string)
      }
      i = j
    } else if (ch === '{' || ch === '[') depth++
    else if (ch === '}' || ch === ']') depth--
  }
  return keys
}

/** Reads a JSON file whose top level is an object, as [key, value] pairs in file order. */
export async function readJsonObjectEntries(
  path: string,
  what: string,
  onProgress?: ProgressFn,
): Promise<[string, unknown][]> {
  const text = await readTextFile(path, onProgress)
  const object = asObject(parseJsonText(text, path), { file: path }, what)
  const keys = topLevelKeys(text)
  const seen = new Set<string>()
  const repeated = keys.find((key) => seen.size === seen.add(key).size)
  if (repeated !== undefined)
    throw dataError({ file: path }, repeated, 'the key appears twice at the top level')
  return keys.map((key) => [key, object[key]])
}

export interface JsonLine {
  line: number
  value: unknown
}

/** Streams a JSON Lines file: one parsed value per non-blank line, with its 1-based line number. */
export async function* readJsonLines(path: string, onProgress?: ProgressFn): AsyncGenerator<JsonLine> {
  for await (const { text, line, last } of readLines(path, onProgress)) {
    if (text.trim() === '') continue
    const deep = depthProblem(text)
    if (deep) throw dataError({ file: path, line }, null, deep.message)
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      throw dataError({ file: path, line }, null, jsonLineMessage(text, last))
    }
    const bad = stringProblem(text, value)
    if (bad) throw dataError({ file: path, line }, bad.field, bad.message)
    yield { line, value }
  }
}

export interface CsvRow {
  /** 1-based line on which the record starts. */
  line: number
  /** Field values by header name. */
  values: Record<string, string>
}

export interface CsvOptions {
  /** Columns that must be present in the header. */
  required: readonly string[]
  /**
   * Convert "\r\n" and lone "\r" inside fields to "\n", as Python's text-mode open() does when
   * HELM reads a CSV without newline=''. Keeps instances identical to MedHELM's.
   */
  universalNewlines?: boolean
  onProgress?: ProgressFn
}

/**
 * Streams a comma-separated file with a header row (quoted multi-line fields allowed) through the
 * pipeline's CSV reader. Throws if a required column is missing.
 */
export async function* readCsv(path: string, options: CsvOptions): AsyncGenerator<CsvRow> {
  const source = await openTabular(path, 'csv', options.onProgress)
  try {
    const missing = options.required.filter((c) => !source.columns.includes(c))
    if (missing.length > 0)
      throw dataError(
        { file: path, line: 1 },
        null,
        `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}; the header has ${source.columns
          .map((h) => `"${h}"`)
          .join(', ')}`,
      )
    for await (const batch of source.records)
      for (const record of batch) {
        const values: Record<string, string> = {}
        for (const column of source.columns) {
          const value = record.get(column)
          const text = typeof value === 'string' ? value : ''
          values[column] = options.universalNewlines ? text.replace(/\r\n?/g, '\n') : text
        }
        yield { line: record.line, values }
      }
  } finally {
    source.close()
  }
}

// ---------------------------------------------------------------------------------------------
// Field access on parsed records. One set of accessors for JSON objects and CSV rows alike.

export type JsonObject = Record<string, unknown>

export function asObject(value: unknown, loc: Location, what = 'record'): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw dataError(loc, null, `expected a JSON object for the ${what}, found ${describeJson(value)}`)
  return value as JsonObject
}

export function asArray(value: unknown, loc: Location, field: string): unknown[] {
  if (!Array.isArray(value)) throw dataError(loc, field, `expected an array, found ${describeJson(value)}`)
  return value
}

function describeJson(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (value === undefined) return 'nothing'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** A required string field; `nonEmpty` also rejects blank strings. */
export function stringField(obj: JsonObject, field: string, loc: Location, nonEmpty = true): string {
  if (!(field in obj)) throw dataError(loc, field, 'missing')
  const value = obj[field]
  if (typeof value !== 'string') throw dataError(loc, field, `expected text, found ${describeJson(value)}`)
  if (nonEmpty && value.trim() === '') throw dataError(loc, field, 'is empty')
  return value
}

/** An optional string field: undefined when absent or null. */
export function optionalStringField(obj: JsonObject, field: string, loc: Location): string | undefined {
  const value = obj[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw dataError(loc, field, `expected text, found ${describeJson(value)}`)
  return value
}

export function stringArrayField(obj: JsonObject, field: string, loc: Location): string[] {
  if (!(field in obj)) throw dataError(loc, field, 'missing')
  const list = asArray(obj[field], loc, field)
  list.forEach((item, i) => {
    if (typeof item !== 'string')
      throw dataError(loc, `${field}[${i}]`, `expected text, found ${describeJson(item)}`)
  })
  return list as string[]
}

/** A required CSV cell: present (the header was checked) and, unless allowed, not blank. */
export function cell(row: CsvRow, column: string, file: string, nonEmpty = true): string {
  const value = row.values[column]
  if (value === undefined) throw dataError({ file, line: row.line }, column, 'missing')
  if (nonEmpty && value.trim() === '') throw dataError({ file, line: row.line }, column, 'is empty')
  return value
}

/** Parses a whole number (optionally negative) from text, naming the field when it is not one. */
export function wholeNumber(value: string, loc: Location, field: string): number {
  const text = value.trim()
  if (!/^-?\d+$/.test(text)) throw dataError(loc, field, `expected a whole number, ${foundInstead(text)}`)
  return Number(text)
}
