import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { AppError } from '../errors'
import { DelimitedParser, type DelimitedRecord } from '../benchmarks/importers/delimited'
import { firstInvalidUtf8 } from '../benchmarks/importers/text'

/**
 * Reading the small CSV files users hand to WardEval (ratings, agreement files): the whole file,
 * UTF-8 checked, a BOM skipped, strict RFC 4180 quoting; problems name the file and line. And one
 * way to collect row-level problems and refuse the whole file with the first of them.
 */

export function readCsvRecords(path: string, file: string, noun = 'file'): DelimitedRecord[] {
  let buf: Buffer
  try {
    buf = readFileSync(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('not_found', `${noun} not found: ${path}`)
    if (code === 'EISDIR') throw new AppError('bad_data', `${file} is a folder; expected a CSV file`)
    throw e
  }
  const bad = firstInvalidUtf8(buf)
  if (bad !== -1) {
    const line = buf.subarray(0, bad).toString('latin1').split('\n').length
    throw new AppError('bad_data', `${file} line ${line}: not valid UTF-8 (save the file as UTF-8)`)
  }
  const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
  const parser = new DelimitedParser(0x2c, true)
  const out: DelimitedRecord[] = []
  parser.push(buf.subarray(start), out)
  const open = parser.problem ? null : parser.end(out)
  if (parser.problem)
    throw new AppError('bad_data', `${file} line ${parser.problem.line}: ${parser.problem.message}`)
  if (open !== null) throw new AppError('bad_data', `${file} line ${open}: a quoted field is never closed`)
  return out
}

export interface CsvIssue {
  path: (string | number)[]
  message: string
}

/** Row problems of one file: `add` records one (line, column); `refuse` throws them all at once. */
export class CsvIssues {
  readonly list: CsvIssue[] = []
  count = 0
  constructor(
    readonly file: string,
    private readonly max = 20,
  ) {}

  add(line: number, column: string, message: string): void {
    this.count++
    if (this.list.length < this.max)
      this.list.push({
        path: [this.file, line, column],
        message: `${this.file} line ${line}, ${column}: ${message}`,
      })
  }

  /** A refusal of the whole file: the first 5 problems in the message, up to `max` in `issues`. */
  error(what: string): AppError {
    const shown = this.list.slice(0, 5).map((i) => i.message)
    const more = this.count > 5 ? `\n… and ${this.count - 5} more problem(s)` : ''
    return new AppError('bad_data', `${this.file}: ${what}.\n${shown.join('\n')}${more}`, {
      issues: this.list,
    })
  }

  throwIfAny(what: string): void {
    if (this.count > 0) throw this.error(what)
  }
}

/**
 * The header of a CSV: lower-cased trimmed names to column index. Unknown, repeated and missing
 * required columns are recorded as problems of the header line.
 */
export function csvColumns(
  header: DelimitedRecord,
  required: readonly string[],
  optional: readonly string[],
  issues: CsvIssues,
): Map<string, number> {
  const col = new Map<string, number>()
  header.fields.forEach((f, i) => {
    const n = f.trim().toLowerCase()
    if (!required.includes(n) && !optional.includes(n))
      issues.add(
        header.line,
        n || `column ${i + 1}`,
        `unknown column (expected ${[...required, ...optional].join(', ')})`,
      )
    else if (col.has(n)) issues.add(header.line, n, 'the column appears twice')
    else col.set(n, i)
  })
  for (const r of required) if (!col.has(r)) issues.add(header.line, r, 'required column is missing')
  return col
}

// --- Tables for the stats commands -------------------------------------------------------------

/**
 * A whole (small) CSV file as a header and records, for the `stats` commands. Strict RFC 4180
 * quoting (the importer's parser); a problem stops the read with the file's name and line. Blank
 * lines are skipped. Messages never quote the file's content (it may be patient data).
 */
export interface CsvTable {
  name: string
  header: string[]
  records: DelimitedRecord[]
}

export function readCsvFile(path: string): CsvTable {
  const name = basename(path)
  if (!existsSync(path) || !statSync(path).isFile())
    throw new AppError('not_found', `file not found: ${path}`)
  const records = readCsvRecords(path, name).filter(
    (r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''),
  )
  const [head, ...rest] = records
  if (!head) throw new AppError('bad_data', `${name}: the file is empty (it needs a header line)`)
  return { name, header: head.fields.map((h) => h.trim()), records: rest }
}

/** Where a cell is, for messages: `scores.csv line 7, column "score" (4)`. */
export function cellPlace(t: CsvTable, line: number, column: number): string {
  return `${t.name} line ${line}, column "${t.header[column] ?? column + 1}" (${column + 1})`
}

/** A finite number from a cell, or a bad_data error naming the line and column (not the value). */
export function numberCell(t: CsvTable, r: DelimitedRecord, column: number): number {
  const raw = (r.fields[column] ?? '').trim()
  if (raw === '') throw new AppError('bad_data', `${cellPlace(t, r.line, column)}: empty, a number is needed`)
  const x = Number(raw)
  if (!Number.isFinite(x) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw))
    throw new AppError('bad_data', `${cellPlace(t, r.line, column)}: not a number`)
  return x
}

/** A non-empty text cell. */
export function textCell(t: CsvTable, r: DelimitedRecord, column: number): string {
  const v = (r.fields[column] ?? '').trim()
  if (v === '') throw new AppError('bad_data', `${cellPlace(t, r.line, column)}: empty`)
  return v
}

/** Checks each record has the header's number of fields. */
export function checkWidths(t: CsvTable): void {
  for (const r of t.records)
    if (r.fields.length !== t.header.length)
      throw new AppError(
        'bad_data',
        `${t.name} line ${r.line}: ${r.fields.length} fields where the header has ${t.header.length}`,
      )
}
