import { closeSync, copyFileSync, mkdirSync, openSync, readdirSync, readSync } from 'node:fs'
import { basename, extname, join, resolve } from 'node:path'
import { z } from 'zod'
import type { AnchorInfo, AnchorReason } from '../../shared/api/audit'
import type { AppContext } from '../app/context'
import { dbListeners } from '../db/listeners'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { attach, signContent } from '../signing/envelope'
import { verifySignedFile, writeFileAtomic } from '../signing/files'
import { signerFor } from '../signing/installation'
import { canonicalJson, GENESIS_HASH, rowHash, sha256Hex, type AuditRow } from './chain'

/**
 * Anchors: signed checkpoints of the audit chain, kept outside the database (the data folder's
 * `anchors/`, and optionally forwarded off the machine). An anchor states "row seq of this log had
 * hash headHash at time at", signed with the installation key. The chain makes every row before it
 * part of that hash, so someone who rewrites an anchored row — even recomputing every later hash and
 * the stored head — cannot make the log match the anchor again without the private key.
 *
 * An anchor file is an attached signed document (signing/envelope.ts): line 1 the anchor (canonical
 * JSON, the signed bytes), line 2 its signature, line 3 the hashes of the rows since the previous
 * anchor (their sha256 is in the anchor), which lets verify name the exact first row that differs.
 */

export const ANCHOR_FORMAT = 'wardeval-audit-anchor/1'
export const ANCHORS_DIR_NAME = 'anchors'
export const ANCHOR_EXT = '.anchor'

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/)

export const AnchorContent = z
  .object({
    format: z.literal(ANCHOR_FORMAT),
    database: z.string(),
    seq: z.number().int().positive(),
    headHash: Sha256,
    /** Row 1's hash: identifies the chain (the log) the anchor belongs to. */
    firstHash: Sha256,
    at: z.string(),
    reason: z.enum(['manual', 'run', 'scoring', 'daily', 'startup']),
    runId: z.number().int().nullable(),
    keyFingerprint: z.string(),
    /** The rows since the previous anchor: from fromSeq to seq; sha256 of their hashes joined by newlines. */
    segment: z.object({ fromSeq: z.number().int().positive(), sha256: Sha256 }).strict(),
  })
  .strict()
export type AnchorContent = z.infer<typeof AnchorContent>

export const RowHashes = z.object({ fromSeq: z.number().int().positive(), hashes: z.array(Sha256) })
export type RowHashes = z.infer<typeof RowHashes>

export function anchorsDir(dataDir: string): string {
  if (!dataDir)
    throw new AppError('conflict', 'This database has no data folder (in memory), so it keeps no anchors.')
  return join(dataDir, ANCHORS_DIR_NAME)
}

export function segmentDigest(hashes: readonly string[]): string {
  return sha256Hex(hashes.join('\n'))
}

export function anchorInfo(file: string, a: AnchorContent): AnchorInfo {
  return {
    file,
    database: a.database,
    seq: a.seq,
    headHash: a.headHash,
    at: a.at,
    reason: a.reason,
    runId: a.runId,
    keyFingerprint: a.keyFingerprint,
  }
}

/** The first line of a file (an anchor's content) without reading the row hashes after it. */
function firstLine(file: string, max = 16_384): string | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  try {
    const buf = Buffer.alloc(max)
    const n = readSync(fd, buf, 0, max, 0)
    const text = buf.subarray(0, n).toString('utf8')
    const nl = text.indexOf('\n')
    return nl < 0 ? null : text.slice(0, nl)
  } finally {
    closeSync(fd)
  }
}

/** Parses an anchor's content line; null if it is not one. */
export function parseAnchorContent(line: string): AnchorContent | null {
  try {
    const r = AnchorContent.safeParse(JSON.parse(line))
    return r.success ? r.data : null
  } catch {
    return null
  }
}

/** Every `.anchor` file of a folder, oldest first (by seq, then time); unreadable ones as null content. */
export function listAnchorFiles(dir: string): { file: string; anchor: AnchorContent | null }[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new AppError('invalid_input', `Cannot read the anchors folder ${dir}: ${(e as Error).message}`)
  }
  const out = names
    .filter((n) => extname(n) === ANCHOR_EXT)
    .map((n) => {
      const file = join(dir, n)
      const line = firstLine(file)
      return { file, anchor: line === null ? null : parseAnchorContent(line) }
    })
  return out.sort(
    (a, b) =>
      (a.anchor?.seq ?? 0) - (b.anchor?.seq ?? 0) ||
      (a.anchor?.at ?? '').localeCompare(b.anchor?.at ?? '') ||
      a.file.localeCompare(b.file),
  )
}

/** Anchors of this database (by file name or by the chain's first row), oldest first. */
export function anchorsOf(
  ctx: Pick<AppContext, 'db' | 'dbPath' | 'dataDir'>,
): { file: string; anchor: AnchorContent }[] {
  const first = firstRowHash(ctx.db)
  const name = basename(ctx.dbPath)
  return listAnchorFiles(anchorsDir(ctx.dataDir)).filter(
    (x): x is { file: string; anchor: AnchorContent } =>
      x.anchor !== null && (x.anchor.database === name || x.anchor.firstHash === first),
  )
}

export function firstRowHash(db: Db): string | null {
  return (db.prepare('SELECT hash FROM audit_log WHERE seq = 1').pluck().get() as string | undefined) ?? null
}

const anchorListeners = dbListeners<AnchorInfo>()

/** Be told of every anchor written for this database handle (forwarding delivers it). */
export const onAnchorWritten = anchorListeners.on

export interface WriteAnchorOptions {
  reason: AnchorReason
  runId?: number | null
  /** Also write a copy here. */
  out?: string
  now?: string
}

type AnchorCtx = Pick<AppContext, 'db' | 'dbPath' | 'dataDir' | 'env' | 'keyProtector'>

/**
 * Signs the current head of the chain and writes it into the anchors folder. Before signing, the
 * rows since the previous anchor are checked to extend it (links and hashes): a log that was
 * rewritten since is never anchored — that would bless the rewrite.
 */
export function writeAnchor(ctx: AnchorCtx, options: WriteAnchorOptions): AnchorInfo {
  // First: creating the key appends an audit row, which this anchor must cover.
  const key = signerFor(ctx)
  const head = ctx.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined
  if (!head) throw new AppError('conflict', 'The audit log is empty: there is nothing to anchor yet.')
  // The newest genuine anchor before this one (a planted file with a bad signature is passed over).
  const previous = anchorsOf(ctx)
    .filter((x) => x.anchor.seq <= head.seq && x.anchor.keyFingerprint === key.fingerprint)
    .reverse()
    .find((x) => verifySignedFile(x.file, [key.fingerprint]).ok)
  const hashes = segmentHashes(ctx.db, previous?.anchor ?? null, head.seq)
  const fromSeq = previous ? Math.min(previous.anchor.seq + 1, head.seq) : 1
  const at = options.now ?? new Date().toISOString()
  const content: AnchorContent = {
    format: ANCHOR_FORMAT,
    database: basename(ctx.dbPath),
    seq: head.seq,
    headHash: head.hash,
    firstHash: firstRowHash(ctx.db)!,
    at,
    reason: options.reason,
    runId: options.runId ?? null,
    keyFingerprint: key.fingerprint,
    segment: { fromSeq, sha256: segmentDigest(hashes) },
  }
  const line = canonicalJson(content)
  const envelope = signContent(key, line, { contentType: ANCHOR_FORMAT, contentName: 'anchor', now: at })
  const extras = canonicalJson({ fromSeq, hashes })
  const dir = anchorsDir(ctx.dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const stem = basename(ctx.dbPath, extname(ctx.dbPath)).replace(/[^A-Za-z0-9_-]/g, '_')
  const file = join(
    dir,
    `${stem}-${String(head.seq).padStart(10, '0')}-${at.replace(/[:.]/g, '-')}${ANCHOR_EXT}`,
  )
  writeFileAtomic(file, attach(line, envelope, extras))
  if (options.out) {
    const out = resolve(options.out)
    mkdirSync(resolve(out, '..'), { recursive: true })
    copyFileSync(file, out)
  }
  const info = anchorInfo(file, content)
  anchorListeners.emit(ctx.db, info)
  return info
}

/**
 * The hashes of rows (previous.seq, toSeq] — or 1..toSeq without a previous anchor — after checking
 * that they extend the previous anchor: its row still has its hash, and every later row links to the
 * one before and matches its own hash. When the head has not moved, the previous anchor's own row.
 */
function segmentHashes(db: Db, previous: AnchorContent | null, toSeq: number): string[] {
  if (previous) {
    const at = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(previous.seq) as
      string | undefined
    if (at !== previous.headHash)
      throw new AppError(
        'conflict',
        `The audit log no longer matches the anchor of ${previous.at} (row ${previous.seq}): it was rewritten. No new anchor is written over it; run audit verify.`,
      )
  }
  const from = previous ? previous.seq + 1 : 1
  let prevHash = previous?.headHash ?? GENESIS_HASH
  const hashes: string[] = previous && from > toSeq ? [previous.headHash] : []
  let expected = from
  for (const row of db
    .prepare('SELECT * FROM audit_log WHERE seq >= ? AND seq <= ? ORDER BY seq')
    .iterate(from, toSeq) as IterableIterator<AuditRow>) {
    const { hash, ...rest } = row
    if (row.seq !== expected || row.prev_hash !== prevHash || rowHash(rest) !== hash)
      throw new AppError(
        'conflict',
        `Audit row ${expected} does not check out (altered, missing or out of order): no anchor is written over a damaged log; run audit verify.`,
      )
    hashes.push(hash)
    prevHash = hash
    expected++
  }
  return hashes
}

/** Reads an anchor file whole: content, row hashes (if present and matching the anchor's digest). */
export function readRowHashes(extras: string | null, anchor: AnchorContent): RowHashes | null {
  if (extras === null) return null
  try {
    const r = RowHashes.safeParse(JSON.parse(extras))
    if (!r.success || r.data.fromSeq !== anchor.segment.fromSeq) return null
    return segmentDigest(r.data.hashes) === anchor.segment.sha256 ? r.data : null
  } catch {
    return null
  }
}
