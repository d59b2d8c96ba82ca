import { isAscii, isUtf8 } from 'node:buffer'
import { createReadStream, type Stats } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { basename } from 'node:path'
import { AppError } from '../../errors'
import { changeOf, fileChanged, fileState, type FileState } from './file-state'

/**
 * Streaming text input shared by the importers: strict UTF-8 decoding (an invalid byte is an error
 * naming its line, never a silent U+FFFD), a bound on the size of one line or record so a
 * malformed file cannot exhaust memory, and byte-level progress.
 */

/** The longest line (JSONL) or record (CSV/TSV) accepted: 8 MiB. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024
const CHUNK_BYTES = 1024 * 1024

export function badData(
  message: string,
  issues?: { path: (string | number)[]; message: string }[],
): AppError {
  return new AppError('bad_data', message, issues ? { issues } : undefined)
}

/** What a file system entry is, in words, when it is not a regular file. */
export function entryKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder'
  if (st.isFIFO()) return 'a FIFO (named pipe)'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSocket()) return 'a socket'
  if (st.isSymbolicLink()) return 'a symbolic link'
  return 'not a regular file'
}

/**
 * The error for a file that cannot be opened or read (permission denied, an I/O error, …): names
 * the file and the reason, never a raw EACCES. Errors that are not the file system's pass through.
 */
export function unreadable(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code
  if (!code || e instanceof AppError) return e as Error
  if (code === 'ENOENT') return new AppError('not_found', `not found: ${path}`)
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a folder'
        : code === 'ELOOP'
          ? 'too many symbolic links'
          : code === 'EIO'
            ? 'an input/output error occurred (a damaged disk or a lost network share?)'
            : `the system reported ${code}`
  return new AppError('bad_data', `${basename(path)} cannot be read: ${reason}`, {
    issues: [{ path: [basename(path)], message: reason }],
    cause: e,
  })
}

/** Checks the file exists and is a regular non-empty file; returns its size. */
export async function fileSize(path: string, what = 'file'): Promise<number> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('not_found', `${what} not found: ${path}`)
    throw unreadable(path, e)
  }
  if (st.isDirectory()) throw new AppError('bad_data', `${basename(path)} is a folder; expected a ${what}`)
  if (!st.isFile())
    throw badData(`${basename(path)} is ${entryKind(st)}, not a regular file; import a regular file`)
  if (st.size === 0) throw badData(`${basename(path)} is empty (0 bytes)`)
  return st.size
}

/** Index of the first byte that is not valid UTF-8, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0
  while (i < buf.length) {
    const b = buf[i]!
    let need = 0
    let min = 0
    if (b < 0x80) {
      i++
      continue
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1
      min = 0x80
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      min = 0x800
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      min = 0x10000
    } else return i
    if (i + need >= buf.length) return i
    let cp = b & (0xff >> (need + 2))
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k]!
      if ((c & 0xc0) !== 0x80) return i
      cp = (cp << 6) | (c & 0x3f)
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i
    i += need + 1
  }
  return -1
}

async function lineOfByte(path: string, offset: number): Promise<number> {
  let line = 1
  let pos = 0
  for await (const chunk of createReadStream(path, {
    highWaterMark: CHUNK_BYTES,
    end: Math.max(0, offset - 1),
  }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1 && pos + i < offset; i = chunk.indexOf(10, i + 1)) line++
    pos += chunk.length
  }
  return line
}

/** Bytes of `buf` up to the end of its last complete UTF-8 sequence (the rest waits for the next chunk). */
function completeUtf8Length(buf: Buffer): number {
  let i = buf.length - 1
  let k = 0
  while (i >= 0 && k < 3 && (buf[i]! & 0xc0) === 0x80) {
    i--
    k++
  }
  if (i < 0) return buf.length
  const b = buf[i]!
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
  return i + need <= buf.length ? buf.length : i
}

/**
 * The file's bytes in chunks, each checked to be valid UTF-8 and ending on a character boundary
 * (a leading BOM dropped). Invalid UTF-8 throws bad_data naming the line; `onProgress` receives
 * bytes read and the file size. Validation is Node's SIMD `isUtf8`.
 *
 * The chunks share one buffer, read into again for the next chunk: a chunk is only valid until
 * the next one is asked for (copy what must outlive that). Reusing it spares the allocator and the
 * page faults of a fresh megabyte per read — seconds of system time on a 500 MB file.
 */
export async function* utf8Chunks(
  path: string,
  onProgress?: (read: number, total: number | null) => void,
): AsyncGenerator<Buffer> {
  await fileSize(path)
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (e) {
    throw unreadable(path, e)
  }
  try {
    const before = fileState(await handle.stat({ bigint: true }))
    const total = Number(before.size)
    const buf = Buffer.allocUnsafe(CHUNK_BYTES + 3)
    /** Bytes at the start of `buf` held over from the last read: an incomplete UTF-8 sequence. */
    let carry = 0
    let read = 0
    let first = true
    for (;;) {
      const { bytesRead } = await handle.read(buf, carry, CHUNK_BYTES, null).catch((e: unknown) => {
        throw unreadable(path, e)
      })
      if (bytesRead === 0) break
      const chunkStart = read - carry
      read += bytesRead
      const filled = carry + bytesRead
      let chunk = buf.subarray(0, filled)
      const n = completeUtf8Length(chunk)
      chunk = chunk.subarray(0, n)
      if (!isUtf8(chunk)) {
        const at = firstInvalidUtf8(chunk)
        const offset = chunkStart + (at < 0 ? chunk.length : at)
        throw badData(
          `${basename(path)} line ${await lineOfByte(path, offset)}: invalid UTF-8 (byte offset ${offset}). Save the file as UTF-8 and import it again.`,
        )
      }
      const nul = chunk.indexOf(0)
      if (nul !== -1) {
        const offset = chunkStart + nul
        throw badData(
          `${basename(path)} line ${await lineOfByte(path, offset)}: a NUL byte (byte offset ${offset}); imported text may not hold NUL characters. Is the file UTF-16? Save it as UTF-8 and import it again.`,
        )
      }
      if (first) {
        first = false
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3)
      }
      onProgress?.(read, total)
      if (chunk.length) yield chunk
      // The incomplete sequence (at most 3 bytes) moves to the front for the next read.
      carry = filled - n
      if (carry) buf.copy(buf, 0, n, filled)
    }
    await checkUnchanged(path, handle, before, read)
    if (carry)
      throw badData(
        `${basename(path)} line ${await lineOfByte(path, total)}: invalid UTF-8 (the file ends inside a multi-byte character)`,
      )
  } finally {
    await handle.close()
  }
}

/**
 * Throws when the file read through `handle` changed since `before` (./file-state.ts): its size or
 * modification time, the bytes actually read, or the file the path names now.
 */
async function checkUnchanged(
  path: string,
  handle: FileHandle,
  before: FileState,
  read: number,
): Promise<void> {
  let change = changeOf(before, fileState(await handle.stat({ bigint: true })))
  if (!change && BigInt(read) < before.size)
    change = `was truncated (${read} of ${before.size} bytes could be read)`
  if (!change && BigInt(read) > before.size) change = `grew (${read} bytes read, ${before.size} expected)`
  if (!change) {
    let now: FileState | null = null
    try {
      now = fileState(await stat(path, { bigint: true }))
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    change = changeOf(before, now)
  }
  if (change) throw fileChanged(path, change)
}

/** Reads a whole (small) text file as strict UTF-8 (see utf8Chunks). */
export async function readTextFile(
  path: string,
  onProgress?: (read: number, total: number | null) => void,
): Promise<string> {
  let text = ''
  for await (const chunk of decodeUtf8(path, onProgress)) text += chunk
  return text
}

/**
 * The file's text in chunks, strictly decoded (see utf8Chunks). An all-ASCII chunk (most of an EHR
 * extract) is the same text read as latin1, which decodes several times faster than UTF-8.
 */
export async function* decodeUtf8(
  path: string,
  onProgress?: (read: number, total: number | null) => void,
): AsyncGenerator<string> {
  for await (const chunk of utf8Chunks(path, onProgress))
    yield isAscii(chunk) ? chunk.toString('latin1') : chunk.toString('utf8')
}

export interface Line {
  text: string
  /** 1-based line number. */
  line: number
  /** The line ended at end of file without a newline. */
  last: boolean
}

/**
 * The file's lines (without "\n" or "\r\n"), strictly decoded, each at most MAX_RECORD_BYTES
 * characters. A longer line throws bad_data naming it, without buffering it whole.
 */
export async function* readLines(
  path: string,
  onProgress?: (read: number, total: number | null) => void,
  maxLine = MAX_RECORD_BYTES,
): AsyncGenerator<Line> {
  const name = basename(path)
  let carry = ''
  let line = 0
  const tooLong = () =>
    badData(
      `${name} line ${line + 1}: the line is longer than ${formatBytes(maxLine)}, the limit for one record. Is this really a ${name.endsWith('.jsonl') ? 'JSONL' : 'line-based'} file?`,
    )
  for await (const chunk of decodeUtf8(path, onProgress)) {
    let start = 0
    let nl = chunk.indexOf('\n')
    if (nl === -1) {
      carry += chunk
      if (carry.length > maxLine) throw tooLong()
      continue
    }
    while (nl !== -1) {
      let text = carry ? carry + chunk.slice(start, nl) : chunk.slice(start, nl)
      carry = ''
      if (text.length > maxLine) throw tooLong()
      if (text.endsWith('\r')) text = text.slice(0, -1)
      line++
      yield { text, line, last: false }
      start = nl + 1
      nl = chunk.indexOf('\n', start)
    }
    carry = chunk.slice(start)
    if (carry.length > maxLine) throw tooLong()
  }
  if (carry) {
    line++
    yield { text: carry.endsWith('\r') ? carry.slice(0, -1) : carry, line, last: true }
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`
  return `${n} bytes`
}
