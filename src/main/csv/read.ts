import { readFileSync } from 'node:fs'
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
