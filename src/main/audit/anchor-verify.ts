import { basename, resolve } from 'node:path'
import type { AnchorCheck, AnchoredVerifyResult } from '../../shared/api/audit'
import type { VerifyResult } from '../../shared/api/models'
import type { AppContext } from '../app/context'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { verifySignedFile, type FileVerification } from '../signing/files'
import { trustedFingerprints } from '../signing/installation'
import { readPublicKey } from '../signing/key'
import {
  anchorInfo,
  anchorsDir,
  firstRowHash,
  listAnchorFiles,
  parseAnchorContent,
  readRowHashes,
  type AnchorContent,
} from './anchors'
import { verifyAuditLog } from './verify'

export interface AnchoredVerifyOptions {
  /** The anchors folder (default: the data folder's anchors/). */
  dir?: string
  /** Anchor files to check besides (or, with noDir, instead of) the folder's. */
  files?: string[]
  /** Fingerprints trusted besides this installation's key (anchors signed elsewhere). */
  trust?: string[]
}

type Ctx = Pick<AppContext, 'db' | 'dbPath' | 'dataDir'>

/**
 * `audit verify` with anchors: the chain must be intact (verify.ts), and every anchor genuine
 * (signed by a trusted key, not a byte changed) and still a prefix of the chain — row seq has the
 * anchored hash. A log rewritten with every hash recomputed and its head rewritten passes the first
 * check and fails the second, naming the anchor and the first row that differs.
 */
export function verifyWithAnchors(ctx: Ctx, options: AnchoredVerifyOptions = {}): AnchoredVerifyResult {
  const chain = verifyAuditLog(ctx.db)
  // An in-memory database has no data folder: only anchors given explicitly are checked.
  const dir = options.dir ? resolve(options.dir) : ctx.dataDir ? anchorsDir(ctx.dataDir) : ''
  const trusted = trustedFingerprints(ctx.dataDir, options.trust)
  const lastSeq = (ctx.db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number | null) ?? 0
  const first = firstRowHash(ctx.db)
  const inDir = (dir ? listAnchorFiles(dir) : []).map((x) => ({ file: x.file, explicit: false }))
  const given = (options.files ?? []).map((f) => ({ file: resolve(f), explicit: true }))
  const checks = [...inDir, ...given].map(({ file, explicit }) =>
    checkAnchor(ctx.db, file, trusted, { explicit, database: basename(ctx.dbPath), first, lastSeq }),
  )
  locateBounds(checks)
  return summarize(ctx, chain, dir, checks, lastSeq)
}

interface Scope {
  explicit: boolean
  database: string
  first: string | null
  lastSeq: number
}

type Checked = AnchorCheck & { content?: AnchorContent }

const problem = (
  file: string,
  status: AnchorCheck['status'],
  anchor: AnchorCheck['anchor'],
  message: string,
): Checked => ({ file, status, anchor, message, firstDiffering: null })

/** The anchor's signature and content: its verified content, or the failed check. */
function readAnchor(
  file: string,
  trusted: string[],
): { content: AnchorContent; extras: string | null } | Checked {
  let v: FileVerification
  try {
    v = verifySignedFile(file, trusted)
  } catch (e) {
    return problem(file, 'malformed', null, (e as Error).message)
  }
  const content =
    v.layout === 'attached' && v.content !== null ? parseAnchorContent(JSON.stringify(v.content)) : null
  if (!content)
    return v.ok
      ? problem(file, 'malformed', null, `${basename(file)} is signed but is not an audit anchor.`)
      : problem(file, v.problem ?? 'malformed', null, v.message)
  if (!v.ok)
    return problem(
      file,
      v.problem ?? 'malformed',
      anchorInfo(file, content),
      `Anchor ${basename(file)}: ${v.message}`,
    )
  return { content, extras: v.extras }
}

function checkAnchor(db: Db, file: string, trusted: string[], scope: Scope): Checked {
  const read = readAnchor(file, trusted)
  if ('status' in read) return read
  const { content, extras } = read
  const anchor = anchorInfo(file, content)
  if (!scope.explicit && content.database !== scope.database && content.firstHash !== scope.first)
    return problem(
      file,
      'other_database',
      anchor,
      `Anchor of another database (${content.database}): skipped.`,
    )
  const label = `the anchor of ${content.at} (${basename(file)}), signed by ${content.keyFingerprint}`
  if (content.seq > scope.lastSeq)
    return {
      ...problem(
        file,
        'missing_rows',
        anchor,
        `Rows ${scope.lastSeq + 1}–${content.seq} are missing: ${label} covers rows 1–${content.seq}, but the log ends at row ${scope.lastSeq}.`,
      ),
      content,
      firstDiffering: { seq: scope.lastSeq + 1, exact: true },
    }
  const hash = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(content.seq) as string
  if (hash === content.headHash)
    return { ...problem(file, 'match', anchor, `Rows 1–${content.seq} match ${label}.`), content }
  const firstDiffering = firstDifferingRow(db, content, extras)
  return {
    ...problem(
      file,
      'mismatch',
      anchor,
      `Row ${firstDiffering.seq}${firstDiffering.exact ? '' : ' (or an earlier row)'} differs from ${label}: the log was rewritten after it was anchored.`,
    ),
    content,
    firstDiffering,
  }
}

/** With the anchor's row hashes, the exact first row that no longer has its anchored hash. */
function firstDifferingRow(
  db: Db,
  anchor: AnchorContent,
  extras: string | null,
): { seq: number; exact: boolean } {
  const rows = readRowHashes(extras, anchor)
  if (!rows) return { seq: anchor.seq, exact: false }
  const get = db.prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck()
  for (let i = 0; i < rows.hashes.length; i++) {
    const seq = rows.fromSeq + i
    if (get.get(seq) !== rows.hashes[i]) return { seq, exact: i > 0 || seq === 1 }
  }
  return { seq: anchor.seq, exact: false }
}

/**
 * A mismatch whose first differing row is only bounded (the row hashes are gone, or the first row
 * of its segment differs) is made exact by a matching anchor just before it: if an anchor at seq-1
 * still matches, row seq is the first that differs.
 */
function locateBounds(checks: Checked[]): void {
  const matched = new Set(checks.filter((c) => c.status === 'match').map((c) => c.anchor!.seq))
  for (const c of checks) {
    if (c.firstDiffering && !c.firstDiffering.exact && matched.has(c.firstDiffering.seq - 1)) {
      c.firstDiffering.exact = true
      c.message = c.message.replace(' (or an earlier row)', '')
    }
  }
}

function summarize(
  ctx: Ctx,
  chain: VerifyResult,
  dir: string,
  all: Checked[],
  lastSeq: number,
): AnchoredVerifyResult {
  const checks = all.map(({ content: _content, ...c }) => c)
  const failed = checks.filter((c) => c.status !== 'match' && c.status !== 'other_database')
  const matched = checks.filter((c) => c.status === 'match')
  const best = matched.filter((c) => failed.every((f) => (f.anchor?.seq ?? Infinity) > c.anchor!.seq)).at(-1)
  const proven = best
    ? {
        seq: best.anchor!.seq,
        at: best.anchor!.at,
        keyFingerprint: best.anchor!.keyFingerprint,
        file: best.file,
      }
    : null
  const differing = failed
    .filter((c) => c.firstDiffering)
    .sort((a, b) => a.firstDiffering!.seq - b.firstDiffering!.seq)[0]
  const firstDiffering = differing
    ? { ...differing.firstDiffering!, anchorFile: differing.file, anchorAt: differing.anchor?.at ?? '' }
    : null
  const unanchored =
    proven && failed.length === 0 && lastSeq > proven.seq ? { from: proven.seq + 1, to: lastSeq } : null
  const key = ctx.dataDir ? readPublicKey(ctx.dataDir) : null
  const result: AnchoredVerifyResult = {
    ...chain,
    ok: chain.ok && failed.length === 0,
    chainOk: chain.ok,
    keyFingerprint: key?.fingerprint ?? null,
    anchorsDir: dir,
    anchors: checks,
    counts: {
      matched: matched.length,
      failed: failed.length,
      skipped: checks.length - matched.length - failed.length,
    },
    proven,
    unanchored,
    firstDiffering,
    statement: [],
  }
  result.statement = statementOf(result, lastSeq)
  return result
}

/** What is proven, in plain sentences (printed by the CLI, shown on the Privacy & Audit screen). */
export function statementOf(r: AnchoredVerifyResult, lastSeq: number): string[] {
  const lines: string[] = []
  if (!r.chainOk && r.firstBad)
    lines.push(`The chain is broken at row ${r.firstBad.seq}: ${r.firstBad.message}`)
  for (const f of r.anchors.filter((c) => c.status !== 'match' && c.status !== 'other_database'))
    lines.push(`FAILED: ${f.message}`)
  if (r.proven) {
    const after = r.unanchored
      ? `rows ${r.unanchored.from}–${r.unanchored.to} were written after the last anchor`
      : r.ok
        ? 'no rows were written after it'
        : 'later rows are not proven'
    lines.push(
      `Rows 1–${r.proven.seq} match the anchor of ${r.proven.at} signed by ${r.proven.keyFingerprint}; ${after}.`,
    )
  } else if (r.counts.matched === 0 && r.counts.failed === 0) {
    lines.push(
      lastSeq === 0
        ? 'The audit log is empty and no anchor exists yet.'
        : `No anchor found in ${r.anchorsDir}: rows 1–${lastSeq} are consistent with each other, but someone with the database file could have rewritten them all. Write an anchor (audit anchor) and keep a copy off this machine.`,
    )
  }
  if (r.ok && lines.length === 0) lines.push(`Audit log intact: ${lastSeq} rows.`)
  return lines
}

/** Throws when the anchors folder option names something that is not a folder's worth of anchors. */
export function requireAnchorsExist(result: AnchoredVerifyResult, explicitDir: boolean): void {
  if (explicitDir && result.anchors.length === 0)
    throw new AppError('not_found', `No anchors (*.anchor) in ${result.anchorsDir}.`)
}
