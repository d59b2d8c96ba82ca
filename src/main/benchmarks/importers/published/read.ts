import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { Transform, type TransformCallback } from 'node:stream'
import { parse as parseCsv, type CsvError } from 'csv-parse'
import { AppError } from '../../../errors'

/**
 * Reading the files of published datasets: JSON, JSON Lines and CSV, strictly. Every failure is an
 * AppError('bad_data') whose message names the file, the line (or record) and the field. Text must
 * be valid UTF-8; a stray byte is reported with its offset rather than silently replaced.
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

export function describeLocation(loc: Location): string {
  const parts = [loc.file]
  if (loc.line !== undefined) parts.push(`line ${loc.line}`)
  if (loc.record !== undefined) parts.push(loc.record)
  return parts.join(', ')
}

/** A malformed-input error naming the file, the line or record, and the field. */
export function badData(loc: Location, field: string | null, message: string): AppError {
  const where = describeLocation(loc)
  return new AppError('bad_data', field === null ? `${where}: ${message}` : `${where}, field "${field}": ${message}`)
}

/** Checks that `path` is a non-empty regular file and returns its size in bytes. */
export async function fileSize(path: string): Promise<number> {
  let info
  try {
    info = await stat(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `${path}: no such file`)
    throw new AppError('bad_data', `${path}: cannot be read (${(e as Error).message})`, { cause: e })
  }
  if (info.isDirectory()) throw new AppError('bad_data', `${path}: is a folder; expected a file`)
  if (info.size === 0) throw new AppError('bad_data', `${path}: the file is empty`)
  return info.size
}

/** Checks that `path` is a folder. */
export async function requireFolder(path: string, what: string): Promise<void> {
  let info
  try {
    info = await stat(path)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `${path}: no such folder`)
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

function utf8Error(file: string, offset: number): AppError {
  return new AppError('bad_data', `${file}: invalid UTF-8 near byte ${offset}; save the file as UTF-8`)
}

/** Decodes a whole buffer as strict UTF-8 (a leading BOM is dropped). */
function decodeUtf8(file: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    // Find the first offending byte for the message.
    const decoder = new TextDecoder('utf-8', { fatal: true })
    let offset = 0
    for (; offset < bytes.length; offset += 4096) {
      try {
        decoder.decode(bytes.subarray(offset, Math.min(bytes.length, offset + 4096)), { stream: true })
      } catch {
        break
      }
    }
    throw utf8Error(file, offset)
  }
}

/** Reads a whole (small) text file as strict UTF-8. */
export async function readTextFile(path: string, onProgress?: ProgressFn): Promise<string> {
  const size = await fileSize(path)
  const bytes = await readFile(path)
  onProgress?.(bytes.length, size)
  return decodeUtf8(path, bytes)
}

/** Line and column (1-based) of a character offset in `text`. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1
  let last = -1
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++
    last = i
  }
  return { line, column: offset - last }
}

/** Turns a JSON.parse SyntaxError into a message with line and column. */
function jsonSyntaxMessage(text: string, error: Error): { line?: number; message: string } {
  const position = /position (\d+)/.exec(error.message)
  if (position) {
    const { line, column } = lineAndColumn(text, Number(position[1]))
    return { line, message: `invalid JSON at column ${column}: ${error.message.replace(/ in JSON at position \d+.*$/, '')}` }
  }
  if (/end of JSON input/i.test(error.message)) {
    return { line: lineAndColumn(text, text.length).line, message: 'the JSON ends early (truncated file?)' }
  }
  return { message: `invalid JSON: ${error.message}` }
}

/**
 * Parses a JSON file of a few MB whole. Use readJsonLines for JSONL; large single documents are
 * not expected among the published datasets.
 */
export async function readJsonFile(path: string, onProgress?: ProgressFn): Promise<unknown> {
  const text = await readTextFile(path, onProgress)
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    const { line, message } = jsonSyntaxMessage(text, e as Error)
    throw badData(line === undefined ? { file: path } : { file: path, line }, null, message)
  }
}

/** A Transform that passes bytes through, counting them and rejecting invalid UTF-8. */
class Utf8Guard extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true })
  private offset = 0
  constructor(
    private readonly file: string,
    private readonly total: number,
    private readonly onProgress?: ProgressFn,
  ) {
    super()
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true })
    } catch {
      callback(utf8Error(this.file, this.offset))
      return
    }
    this.offset += chunk.length
    this.onProgress?.(this.offset, this.total)
    callback(null, chunk)
  }
  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode()
    } catch {
      callback(new AppError('bad_data', `${this.file}: the file ends in the middle of a UTF-8 character (truncated?)`))
      return
    }
    callback()
  }
}

/** A byte stream of `path` that fails on invalid UTF-8 and reports progress. */
function guardedStream(path: string, size: number, onProgress?: ProgressFn): Utf8Guard {
  const guard = new Utf8Guard(path, size, onProgress)
  const source = createReadStream(path)
  source.on('error', (e) => guard.destroy(e))
  return source.pipe(guard)
}

export interface JsonLine {
  line: number
  value: unknown
}

/**
 * Streams a JSON Lines file, one parsed value per non-blank line, with its 1-based line number.
 * A line that is not valid JSON throws naming the line.
 */
export async function* readJsonLines(path: string, onProgress?: ProgressFn): AsyncGenerator<JsonLine> {
  const size = await fileSize(path)
  const lines = createInterface({ input: guardedStream(path, size, onProgress), crlfDelay: Infinity })
  let line = 0
  for await (const raw of lines) {
    line++
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (e) {
      const { message } = jsonSyntaxMessage(text, e as Error)
      throw badData({ file: path, line }, null, message)
    }
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
  delimiter?: string
  /**
   * Convert "\r\n" and lone "\r" inside fields to "\n", as Python's text-mode open() does when
   * HELM reads a CSV without newline=''. Keeps instances identical to MedHELM's.
   */
  universalNewlines?: boolean
  onProgress?: ProgressFn
}

function csvErrorMessage(error: CsvError): { line?: number; message: string } {
  const line = typeof error['lines'] === 'number' ? error['lines'] : undefined
  const message = error.message.replace(/\s*at line \d+\.?/g, '').replace(/^Invalid Record Length: /, 'wrong number of fields: ')
  return line === undefined ? { message } : { line, message }
}

/**
 * Streams a CSV file (RFC 4180, quoted multi-line fields) with a header row. Throws if a required
 * column is missing, a record has the wrong number of fields, or a quote is left open.
 */
export async function* readCsv(path: string, options: CsvOptions): AsyncGenerator<CsvRow> {
  const size = await fileSize(path)
  const parser = guardedStream(path, size, options.onProgress).pipe(
    parseCsv({ bom: true, info: true, delimiter: options.delimiter ?? ',', skip_empty_lines: true }),
  )
  let header: string[] | null = null
  let previousEnd = 0
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item
      const line = previousEnd + 1
      previousEnd = info.lines
      if (header === null) {
        header = record.map((h) => h.trim())
        const missing = options.required.filter((c) => !header!.includes(c))
        if (missing.length > 0) {
          const hint = header.length === 1 && header[0]!.includes(';') ? ' (is the delimiter ";"?)' : ''
          throw badData(
            { file: path, line: 1 },
            null,
            `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}${hint}; found ${header
              .map((h) => `"${h}"`)
              .join(', ')}`,
          )
        }
        continue
      }
      const values: Record<string, string> = {}
      header.forEach((name, i) => {
        const value = record[i] ?? ''
        values[name] = options.universalNewlines ? value.replace(/\r\n?/g, '\n') : value
      })
      yield { line, values }
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    const error = e as CsvError
    if (typeof error.code === 'string' && error.code.startsWith('CSV_') || error.code === 'INVALID_OPENING_QUOTE') {
      const { line, message } = csvErrorMessage(error)
      throw badData(line === undefined ? { file: path } : { file: path, line }, null, message)
    }
    throw e
  }
  if (header === null) throw badData({ file: path }, null, 'no header row')
}

// ---------------------------------------------------------------------------------------------
// Field access on parsed records. One set of accessors for JSON objects and CSV rows alike.

export type JsonObject = Record<string, unknown>

export function asObject(value: unknown, loc: Location, what = 'record'): JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw badData(loc, null, `expected a JSON object for the ${what}, found ${describeJson(value)}`)
  return value as JsonObject
}

export function asArray(value: unknown, loc: Location, field: string): unknown[] {
  if (!Array.isArray(value)) throw badData(loc, field, `expected an array, found ${describeJson(value)}`)
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
  if (!(field in obj)) throw badData(loc, field, 'missing')
  const value = obj[field]
  if (typeof value !== 'string') throw badData(loc, field, `expected text, found ${describeJson(value)}`)
  if (nonEmpty && value.trim() === '') throw badData(loc, field, 'is empty')
  return value
}

/** An optional string field: undefined when absent or null. */
export function optionalStringField(obj: JsonObject, field: string, loc: Location): string | undefined {
  const value = obj[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw badData(loc, field, `expected text, found ${describeJson(value)}`)
  return value
}

export function stringArrayField(obj: JsonObject, field: string, loc: Location): string[] {
  if (!(field in obj)) throw badData(loc, field, 'missing')
  const list = asArray(obj[field], loc, field)
  list.forEach((item, i) => {
    if (typeof item !== 'string') throw badData(loc, `${field}[${i}]`, `expected text, found ${describeJson(item)}`)
  })
  return list as string[]
}

/** A required CSV cell: present (the header was checked) and, unless allowed, not blank. */
export function cell(row: CsvRow, column: string, file: string, nonEmpty = true): string {
  const value = row.values[column]
  if (value === undefined) throw badData({ file, line: row.line }, column, 'missing')
  if (nonEmpty && value.trim() === '') throw badData({ file, line: row.line }, column, 'is empty')
  return value
}

/** Parses a whole number (optionally negative) from text, naming the field when it is not one. */
export function wholeNumber(value: string, loc: Location, field: string): number {
  const text = value.trim()
  if (!/^-?\d+$/.test(text)) throw badData(loc, field, `expected a whole number, found "${text}"`)
  return Number(text)
}
