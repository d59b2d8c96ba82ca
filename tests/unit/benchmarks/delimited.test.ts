import { describe, expect, it } from 'vitest'
import { DelimitedParser, type DelimitedRecord } from '../../../src/main/benchmarks/importers/delimited'
import { seeded } from '../../support/seeded'

const COMMA = 0x2c
const TAB = 0x09

/** Parses `text` fed in the given chunk sizes (bytes; cut only at character boundaries). */
function parse(text: string, options: { delimiter?: number; strict?: boolean; chunks?: number[] } = {}) {
  const parser = new DelimitedParser(options.delimiter ?? COMMA, options.strict ?? true)
  const bytes = Buffer.from(text, 'utf8')
  const records: DelimitedRecord[] = []
  const sizes = options.chunks ?? [bytes.length]
  let at = 0
  let k = 0
  while (at < bytes.length) {
    let end = Math.min(bytes.length, at + Math.max(1, sizes[k++ % sizes.length]!))
    while (end < bytes.length && (bytes[end]! & 0xc0) === 0x80) end++ // whole characters only
    parser.push(bytes.subarray(at, end), records)
    at = end
    if (parser.problem) break
  }
  const unclosed = parser.problem ? null : parser.end(records)
  return { records, problem: parser.problem, unclosed }
}

const fields = (r: { records: DelimitedRecord[] }) => r.records.map((x) => x.fields)
const lines = (r: { records: DelimitedRecord[] }) => r.records.map((x) => x.line)

/** Writes rows as RFC 4180 CSV: every field with a comma, quote, CR or LF quoted, quotes doubled. */
function toCsv(rows: string[][], newline: string): string {
  const field = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)
  return rows.map((r) => r.map(field).join(',')).join(newline) + newline
}

describe('DelimitedParser', () => {
  it('reads RFC 4180 CSV: quoted commas, doubled quotes, multi-line fields, empty fields', () => {
    const r = parse('a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",\n3,,""\n')
    expect(fields(r)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
      ['3', '', ''],
    ])
    expect(lines(r)).toEqual([1, 2, 3, 5])
    expect(r.problem).toBeNull()
    expect(r.unclosed).toBeNull()
  })

  it('counts the line feeds of a quoted field with doubled quotes on several lines', () => {
    const r = parse('a,b\n"x ""q""\ny ""z""\n\nw",1\n"""",2\n3,"\n"\n4,4\n')
    expect(fields(r)).toEqual([
      ['a', 'b'],
      ['x "q"\ny "z"\n\nw', '1'],
      ['"', '2'],
      ['3', '\n'],
      ['4', '4'],
    ])
    expect(lines(r)).toEqual([1, 2, 6, 7, 9])
  })

  it('ends records at LF, CRLF, or CR in a file whose first record ends with CR; keeps a CR inside quotes', () => {
    expect(fields(parse('a,b\r\n1,2\r\n"x\r\ny",3\r\n'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['x\r\ny', '3'],
    ])
    const mac = parse('a,b\r1,2\r3,4')
    expect(fields(mac)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ])
    expect(lines(mac)).toEqual([1, 2, 3])
    // In an LF file a lone CR inside an unquoted field is text.
    expect(fields(parse('a,b\n1\r2,3\n'))).toEqual([
      ['a', 'b'],
      ['1\r2', '3'],
    ])
  })

  it('skips blank lines, reads a last record without a newline, and keeps multi-byte characters whole', () => {
    const r = parse('a,b\n\n  \nœuf,café\n\n"naïve ""quote""",日本\n')
    expect(fields(r)).toEqual([
      ['a', 'b'],
      ['œuf', 'café'],
      ['naïve "quote"', '日本'],
    ])
    expect(lines(r)).toEqual([1, 4, 6])
    expect(fields(parse('a,b\n1,2'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
  })

  it('gives the same records and lines however the bytes are cut into chunks', () => {
    const random = seeded(7)
    const alphabet = ['a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '€', '𝄞', 'x', 'y', '1']
    const rows = Array.from({ length: 200 }, () =>
      Array.from({ length: 4 }, () =>
        Array.from(
          { length: Math.floor(random() * 12) },
          () => alphabet[Math.floor(random() * alphabet.length)],
        ).join(''),
      ),
    ).filter((r) => r.some((f) => f.trim() !== ''))
    for (const newline of ['\n', '\r\n']) {
      const text = toCsv(rows, newline)
      const whole = parse(text)
      expect(whole.problem).toBeNull()
      expect(fields(whole)).toEqual(rows)
      // Each record starts one line after the previous one's line feeds, quoted ones included.
      const starts = [1]
      for (const r of rows.slice(0, -1))
        starts.push(starts.at(-1)! + toCsv([r], newline).split('\n').length - 1)
      expect(lines(whole)).toEqual(starts)
      for (const chunks of [[1], [2, 3], [7], [64, 1, 5], [4096]]) {
        const cut = parse(text, { chunks })
        expect(fields(cut), `chunks ${chunks.join('/')}`).toEqual(rows)
        expect(lines(cut)).toEqual(lines(whole))
      }
    }
  })

  it('strict mode names the line of a stray quote, of text after a closing quote, and of a quote never closed', () => {
    const stray = parse('q,a\nq1,a\nq"2,b\n')
    expect(stray.problem).toEqual({
      line: 3,
      message: 'a quote inside an unquoted field — quote the whole field and double the quotes in it ("")',
    })
    expect(fields(stray)).toEqual([
      ['q', 'a'],
      ['q1', 'a'],
    ])
    const after = parse('q,a\n"multi\nline",x\n"q2"x,b\n', { chunks: [3] })
    expect(after.problem).toEqual({
      line: 4,
      message: 'a closing quote is followed by more text — quotes inside a quoted field must be doubled ("")',
    })
    const unclosed = parse('q,a\nq1,a\n"q2,b\nq3,c\n')
    expect(unclosed.problem).toBeNull()
    expect(unclosed.unclosed).toBe(3)
    expect(fields(unclosed)).toEqual([
      ['q', 'a'],
      ['q1', 'a'],
    ])
  })

  it('relaxed mode (TSV) reads a stray quote as text and text after a closing quote as part of the field', () => {
    const r = parse('q\ta\n5" tall\tb\n"quoted" more\tc\n', { delimiter: TAB, strict: false })
    expect(r.problem).toBeNull()
    expect(fields(r)).toEqual([
      ['q', 'a'],
      ['5" tall', 'b'],
      ['quoted more', 'c'],
    ])
  })

  it('reports the unfinished record (for the record size limit) with the line it starts on', () => {
    const parser = new DelimitedParser(COMMA, true)
    const out: DelimitedRecord[] = []
    parser.push(Buffer.from('a,b\n1,2\n"long'), out)
    parser.push(Buffer.from(' text\nstill open'), out)
    expect(out.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ])
    expect(parser.pending).toEqual({ bytes: Buffer.byteLength('"long text\nstill open'), line: 3 })
  })
})
