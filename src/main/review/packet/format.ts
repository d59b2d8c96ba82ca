import { closeSync, fstatSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { ReviewCriterion } from '../../../shared/api/review'
import { canonicalJson, sha256Hex } from '../../audit/chain'
import { AppError } from '../../errors'

/**
 * The two files of a review packet round trip, and how they are hashed, read and written.
 *
 * A packet file is `{ packet, sha256 }`: `packet` holds the set's criteria, the reviewer's name,
 * whether it holds patient text, and the reviewer's items in their own order — input, output,
 * gold where the set shows it, and each item's hash; nothing about models, the jury or other
 * reviewers. `sha256` is the hash of the packet's canonical JSON (keys sorted, no whitespace): the
 * packet's identity. A ratings file is `{ ratings, sha256 }` in the same way, and names the hash of
 * the packet it rates and the hash of each item it rates.
 */

export const PACKET_FORMAT = 'wardeval-review-packet'
export const RATINGS_FORMAT = 'wardeval-review-ratings'
export const FORMAT_VERSION = 1
/** Largest packet or ratings file read (a 5,000-item set of long notes stays far below it). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 (64 hex digits)')

export const PacketItem = z.strictObject({
  position: z.number().int().nonnegative(),
  hash: Hash,
  input: z.string(),
  output: z.string(),
  gold: z.string().nullable(),
})
export type PacketItem = z.infer<typeof PacketItem>

export const PacketBody = z.strictObject({
  format: z.literal(PACKET_FORMAT),
  version: z.literal(FORMAT_VERSION),
  createdAt: z.string(),
  set: z.strictObject({
    id: z.number().int().positive(),
    benchmarkId: z.string(),
    benchmarkName: z.string(),
    benchmarkVersion: z.string(),
    criteria: z.array(ReviewCriterion).min(1),
    showsGold: z.boolean(),
  }),
  reviewer: z.string().min(1),
  patientText: z.strictObject({ contains: z.boolean(), access: z.string(), statement: z.string() }),
  scale: z.strictObject({ min: z.number().int(), max: z.number().int() }),
  items: z.array(PacketItem).min(1),
})
export type PacketBody = z.infer<typeof PacketBody>

/** One rated item. Scores are checked by the importer, not here, so a bad one is named precisely. */
export const RatedItem = z.strictObject({
  position: z.number().int(),
  itemHash: z.string(),
  scores: z.record(z.string(), z.unknown()),
  comment: z.string(),
  osUser: z.string().min(1).max(256),
  ratedAt: z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not a date and time'),
})
export type RatedItem = z.infer<typeof RatedItem>

export const RatingsBody = z.strictObject({
  format: z.literal(RATINGS_FORMAT),
  version: z.literal(FORMAT_VERSION),
  packetHash: Hash,
  setId: z.number().int().positive(),
  reviewer: z.string(),
  exportedAt: z.string(),
  items: z.array(RatedItem),
})
export type RatingsBody = z.infer<typeof RatingsBody>

/** The sha256 of a value's canonical JSON. */
export const hashOf = (value: unknown): string => sha256Hex(canonicalJson(value))

/** An item's hash: what the reviewer sees of it (input, output, gold). */
export const itemHash = (item: { input: string; output: string; gold: string | null }): string =>
  hashOf({ input: item.input, output: item.output, gold: item.gold })

function readJson(path: string, what: string): unknown {
  const file = basename(path)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('not_found', `${what} not found: ${path}`)
    if (code === 'EACCES')
      throw new AppError('bad_data', `${what} cannot be read (permission denied): ${path}`)
    if (code === 'EISDIR') throw new AppError('bad_data', `${file} is a folder; expected a ${what}`)
    throw e
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new AppError('bad_data', `${file} is not a regular file; expected a ${what}`)
    if (st.size > MAX_FILE_BYTES)
      throw new AppError(
        'bad_data',
        `${file} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB; not a ${what}`,
      )
    const text = readFileSync(fd).toString('utf8')
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new AppError('bad_data', `${file}: not a ${what} (not valid JSON)`)
    }
  } finally {
    closeSync(fd)
  }
}

function issuesText(file: string, error: z.ZodError): AppError {
  const issues = error.issues.slice(0, 5).map((i) => ({
    path: [file, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: `${i.path.join('.') || '(top level)'}: ${i.message}`,
  }))
  return new AppError('bad_data', `${file}: ${issues.map((i) => i.message).join('; ')}`, { issues })
}

/**
 * Reads a `{ <key>, sha256 }` file: checks its format, its shape and that `sha256` is the hash of
 * its content (a file changed after it was written is refused).
 */
export function readHashedFile<T>(
  path: string,
  key: 'packet' | 'ratings',
  schema: z.ZodType<T>,
  format: string,
  what: string,
): { body: T; hash: string } {
  const file = basename(path)
  const raw = readJson(path, what)
  const outer = z.strictObject({ [key]: z.record(z.string(), z.unknown()), sha256: Hash }).safeParse(raw)
  if (!outer.success)
    throw new AppError('bad_data', `${file}: not a ${what} (expected { "${key}": {…}, "sha256": "…" })`)
  const inner = outer.data[key] as Record<string, unknown>
  if (inner.format !== format)
    throw new AppError('bad_data', `${file}: not a ${what} (format is not "${format}")`)
  if (inner.version !== FORMAT_VERSION)
    throw new AppError(
      'bad_data',
      `${file}: ${what} version ${String(inner.version)} is not supported (this WardEval reads version ${FORMAT_VERSION})`,
    )
  const hash = hashOf(inner)
  if (hash !== outer.data.sha256)
    throw new AppError(
      'bad_data',
      `${file}: the ${what} was altered after it was written (its content does not match its sha256)`,
    )
  const body = schema.safeParse(inner)
  if (!body.success) throw issuesText(file, body.error)
  return { body: body.data, hash }
}

/**
 * Writes `{ <key>: body, sha256 }` atomically: to a temporary file beside `path`, then `record`
 * (the caller's database rows, in the caller's transaction), then renamed into place. A failure at
 * any step leaves no file behind; the caller's transaction rolls back with the thrown error.
 */
export function writeHashedFile(
  path: string,
  key: 'packet' | 'ratings',
  body: unknown,
  record: (hash: string, bytes: number) => void,
): { hash: string; bytes: number } {
  const hash = hashOf(body)
  const text = JSON.stringify({ [key]: body, sha256: hash }, null, 1) + '\n'
  const bytes = Buffer.byteLength(text)
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    writeFileSync(tmp, text, { mode: 0o600 })
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new AppError('not_found', `folder not found: ${dirname(path)}`)
    if (code === 'EACCES')
      throw new AppError('bad_data', `cannot write to ${dirname(path)} (permission denied)`)
    if (code === 'EISDIR') throw new AppError('bad_data', `${path} is a folder; choose a file name`)
    throw e
  }
  try {
    record(hash, bytes)
    renameSync(tmp, path)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw e
  }
  return { hash, bytes }
}
