import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { DelimitedParser, type DelimitedRecord } from '../benchmarks/importers/delimited'
import { AppError } from '../errors'

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
  const bytes = readFileSync(path)
  const parser = new DelimitedParser(0x2c, true)
  const out: DelimitedRecord[] = []
  parser.push(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes, out)
  const open = parser.end(out)
  const problem = parser.problem
  if (problem) throw new AppError('bad_data', `${name} line ${problem.line}: ${problem.message}`)
  if (open !== null) throw new AppError('bad_data', `${name} line ${open}: a quoted field is never closed`)
  const records = out.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ''))
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
