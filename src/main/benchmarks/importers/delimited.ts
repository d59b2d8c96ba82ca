import { isAscii } from 'node:buffer'

/**
 * The CSV/TSV record parser of the generic importer: works on the file's bytes (already checked to
 * be UTF-8, see ./text.ts), so a 500 MB extract is never decoded whole, and only the fields become
 * strings. RFC 4180 quoting: a field may be quoted ("..."), a quote inside it is doubled (""), and a
 * quoted field may span lines. Records end at LF or CRLF (or CR, in a file whose first record ends
 * with a lone CR).
 *
 * Strict mode (CSV) refuses what strict CSV readers refuse, naming the line: a quote inside an
 * unquoted field, text after a closing quote, and a quoted field never closed. Relaxed mode (TSV,
 * as spreadsheets export it) reads a stray quote as a character and text after a closing quote as
 * part of the field, as Python's csv module does.
 *
 * Why not a CSV library: the import goal is 150,000 rows/s of 500-byte rows on one core's share,
 * and papaparse plus the strict-quote pass it needed took about twice that budget on its own
 * (bench/import-generic.ts). This parser does both in one pass over the bytes.
 */

const QUOTE = 0x22
const LF = 0x0a
const CR = 0x0d

export interface DelimitedRecord {
  fields: string[]
  /** 1-based line where the record starts. */
  line: number
}

export interface DelimitedProblem {
  line: number
  message: string
}

const OPENING = 'a quote inside an unquoted field — quote the whole field and double the quotes in it ("")'
const CLOSING = 'a closing quote is followed by more text — quotes inside a quoted field must be doubled ("")'

/** Node's Buffer slicing without `toString`'s encoding lookup (these back Buffer#toString). */
interface SliceMethods {
  latin1Slice(start: number, end: number): string
  utf8Slice(start: number, end: number): string
}

/** The first `byte` in buf[from, end), or -1. */
function indexBefore(buf: Buffer, byte: number, from: number, end: number): number {
  const at = buf.indexOf(byte, from)
  return at >= 0 && at < end ? at : -1
}

/** How many `byte`s buf[from, end) holds. */
function countBefore(buf: Buffer, byte: number, from: number, end: number): number {
  let n = 0
  for (let at = indexBefore(buf, byte, from, end); at >= 0; at = indexBefore(buf, byte, at + 1, end)) n++
  return n
}

/** record(): the bytes end inside the record (more to come), or a quoting problem stopped it. */
const INCOMPLETE = -1
const FAILED = -2

export class DelimitedParser {
  private buf: Buffer = Buffer.allocUnsafe(1 << 16)
  /** Bytes held in `buf`; the unparsed rest starts at `pos`, on line `line`. */
  private len = 0
  private pos = 0
  private line = 1
  /** Whether the unparsed bytes are all ASCII (then a field is read as latin1, several times faster). */
  private ascii = true
  /** A lone CR ends records (old Mac files): decided by how the first record ends. */
  private crRecords: boolean | null = null
  private problemFound: DelimitedProblem | null = null
  /** Set while parsing a record: the line its open quoted field began on. */
  private openQuoteLine = 0

  constructor(
    private readonly delimiter: number,
    private readonly strict: boolean,
  ) {}

  /** The first quoting problem found (parsing stops there), or null. */
  get problem(): DelimitedProblem | null {
    return this.problemFound
  }

  /** Bytes of the record still unfinished, and the line it starts on. */
  get pending(): { bytes: number; line: number } {
    return { bytes: this.len - this.pos, line: this.line }
  }

  /** Appends a chunk (UTF-8, ending on a character boundary) and parses the records it completes. */
  push(chunk: Buffer, out: DelimitedRecord[]): void {
    if (this.problemFound) return
    const rest = this.len - this.pos
    if (rest + chunk.length > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(rest + chunk.length, this.buf.length * 2))
      this.buf.copy(grown, 0, this.pos, this.len)
      this.buf = grown
    } else if (this.pos > 0) this.buf.copy(this.buf, 0, this.pos, this.len)
    chunk.copy(this.buf, rest)
    this.pos = 0
    this.len = rest + chunk.length
    this.ascii = isAscii(this.buf.subarray(0, this.len))
    this.parse(false, out)
  }

  /**
   * Parses what is left at end of file (a last record without a newline). Returns the line of a
   * quoted field still open, or null.
   */
  end(out: DelimitedRecord[]): number | null {
    if (this.problemFound) return null
    this.parse(true, out)
    return this.pos < this.len ? this.openQuoteLine : null
  }

  private text(start: number, end: number): string {
    const b = this.buf as unknown as SliceMethods
    return this.ascii ? b.latin1Slice(start, end) : b.utf8Slice(start, end)
  }

  private parse(final: boolean, out: DelimitedRecord[]): void {
    while (this.pos < this.len) {
      const fields: string[] = []
      const next = this.record(this.pos, final, fields)
      if (next === INCOMPLETE || next === FAILED) return
      this.pos = next
      if (fields.length !== 1 || fields[0]!.trim() !== '') out.push({ fields, line: this.recordLine })
    }
  }

  private recordLine = 1

  /**
   * Reads one record starting at `i` into `fields`. Returns the offset after it; INCOMPLETE when
   * the bytes end first (and it is not the end of the file); FAILED on a quoting problem. Counts
   * lines into `this.line` only for a complete record.
   */
  private record(i: number, final: boolean, fields: string[]): number {
    const buf = this.buf
    const end = this.len
    const delim = this.delimiter
    let lines = 0
    for (;;) {
      // One field.
      let value: string
      if (i < end && buf[i] === QUOTE) {
        this.openQuoteLine = this.line + lines
        let j = i + 1
        let escaped = false
        let closed = -1
        // The next quote found natively (memchr), then the line feeds in the whole field counted
        // the same way: a long note is scanned at memory speed instead of a byte at a time in
        // JavaScript, with one search for line feeds however many quotes it doubles.
        while (j < end) {
          const q = indexBefore(buf, QUOTE, j, end)
          if (q < 0) break
          if (q + 1 < end && buf[q + 1] === QUOTE) {
            escaped = true
            j = q + 2
            continue
          }
          if (q + 1 >= end && !final) return INCOMPLETE
          closed = q
          break
        }
        if (closed < 0) return INCOMPLETE
        lines += countBefore(buf, LF, i + 1, closed)
        value = this.text(i + 1, closed)
        if (escaped) value = value.replaceAll('""', '"')
        i = closed + 1
        if (i < end) {
          const c = buf[i]!
          if (c !== delim && c !== LF && c !== CR) {
            if (this.strict) return this.fail(i, CLOSING)
            const k = this.unquotedEnd(i, final)
            if (k === INCOMPLETE) return INCOMPLETE
            value += this.text(i, k)
            i = k
          }
        }
      } else {
        const k = this.unquotedEnd(i, final)
        if (k === INCOMPLETE) return INCOMPLETE
        if (k < end && buf[k] === QUOTE) return this.fail(k, OPENING)
        value = this.text(i, k)
        i = k
      }
      fields.push(value)
      // What ends the field.
      if (i >= end) {
        if (!final) return INCOMPLETE
        return this.finish(i, lines)
      }
      const c = buf[i]!
      if (c === delim) {
        i++
        continue
      }
      if (c === LF) {
        this.crRecords ??= false
        return this.finish(i + 1, lines + 1)
      }
      // CR (unquotedEnd stops at a lone CR only where it ends records)
      if (i + 1 >= end && !final) return INCOMPLETE
      if (buf[i + 1] === LF) {
        this.crRecords ??= false
        return this.finish(i + 2, lines + 1)
      }
      this.crRecords ??= true
      return this.finish(i + 1, lines + 1)
    }
  }

  /**
   * End of an unquoted field from `i`: the delimiter, LF, a CR that ends the record, a quote
   * (strict mode only), or the end of the bytes. INCOMPLETE when a CR at the very end cannot be
   * told yet.
   */
  private unquotedEnd(i: number, final: boolean): number {
    const buf = this.buf
    const end = this.len
    const delim = this.delimiter
    const strict = this.strict
    for (;;) {
      while (i < end) {
        const c = buf[i]!
        if (c === delim || c === LF || c === CR || (c === QUOTE && strict)) break
        i++
      }
      if (i >= end || buf[i] !== CR) return i
      // A CR ends the record when followed by LF, or alone in a file whose records end with CR.
      if (i + 1 >= end) return final ? i : INCOMPLETE
      if (buf[i + 1] === LF || this.crRecords !== false) return i
      i++
    }
  }

  private finish(next: number, lines: number): number {
    this.recordLine = this.line
    this.line += lines
    return next
  }

  private fail(at: number, message: string): number {
    // The line of the offending quote: the record's first line plus the newlines before it.
    let line = this.line
    for (let k = this.pos; k < at; k++) if (this.buf[k] === LF) line++
    this.problemFound = { line, message }
    return FAILED
  }
}
