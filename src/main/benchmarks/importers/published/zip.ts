import { readFile } from 'node:fs/promises'
import { inflateRawSync } from 'node:zlib'
import { AppError } from '../../../errors'
import { dataError, fileSize } from './read'

/**
 * A reader for the small ZIP containers of Office files (.xlsx, .docx) that some datasets are
 * published in. Reads the central directory, then inflates single entries on demand. ZIP64,
 * encryption and compression methods other than stored/deflate are refused with a clear error.
 */

/** Office files of the published datasets are a few hundred KB; refuse anything absurd. */
const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024

interface Entry {
  name: string
  method: number
  flags: number
  compressedSize: number
  size: number
  localOffset: number
}

export interface ZipArchive {
  file: string
  names(): string[]
  has(name: string): boolean
  /** The entry's bytes decoded as strict UTF-8; throws bad_data naming the archive and entry. */
  text(name: string): string
}

export async function openZip(path: string, what: string): Promise<ZipArchive> {
  const size = await fileSize(path)
  const notZip = (detail: string) =>
    dataError({ file: path }, null, `not a readable ${what} (${detail}); save it again as ${what}`)
  if (size > MAX_ARCHIVE_BYTES) throw notZip(`larger than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB`)
  const bytes = await readFile(path)
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd === -1) throw notZip('no ZIP directory found — the file is truncated or not a ZIP container')
  const count = bytes.readUInt16LE(eocd + 10)
  const dirOffset = bytes.readUInt32LE(eocd + 16)
  if (count === 0xffff || dirOffset === 0xffffffff) throw notZip('ZIP64 archives are not supported')
  const entries = new Map<string, Entry>()
  let p = dirOffset
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || bytes.readUInt32LE(p) !== 0x02014b50)
      throw notZip('the ZIP directory is damaged')
    const nameLength = bytes.readUInt16LE(p + 28)
    const extraLength = bytes.readUInt16LE(p + 30)
    const commentLength = bytes.readUInt16LE(p + 32)
    const name = bytes.toString('utf8', p + 46, p + 46 + nameLength)
    entries.set(name, {
      name,
      flags: bytes.readUInt16LE(p + 8),
      method: bytes.readUInt16LE(p + 10),
      compressedSize: bytes.readUInt32LE(p + 20),
      size: bytes.readUInt32LE(p + 24),
      localOffset: bytes.readUInt32LE(p + 42),
    })
    p += 46 + nameLength + extraLength + commentLength
  }

  function entryBytes(name: string): Buffer {
    const entry = entries.get(name)
    if (!entry) throw dataError({ file: path }, null, `the ${what} has no ${name}`)
    if (entry.flags & 1) throw notZip(`${name} is encrypted`)
    const at = entry.localOffset
    if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) throw notZip(`${name} is damaged`)
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28)
    const data = bytes.subarray(start, start + entry.compressedSize)
    if (data.length !== entry.compressedSize) throw notZip(`${name} is cut off — the file looks truncated`)
    if (entry.method === 0) return data
    if (entry.method !== 8) throw notZip(`${name} uses compression method ${entry.method}`)
    try {
      const out = inflateRawSync(data, { maxOutputLength: MAX_ARCHIVE_BYTES })
      if (out.length !== entry.size) throw new Error('size mismatch')
      return out
    } catch {
      throw notZip(`${name} cannot be decompressed — the file looks damaged`)
    }
  }

  return {
    file: path,
    names: () => [...entries.keys()],
    has: (name) => entries.has(name),
    text(name) {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(entryBytes(name)).replace(/^\uFEFF/, '')
      } catch (e) {
        if (e instanceof AppError) throw e
        throw dataError({ file: `${path}!${name}` }, null, `not valid UTF-8`)
      }
    },
  }
}
