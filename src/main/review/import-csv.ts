import { basename } from 'node:path'
import { BenchmarkManifest } from '../../shared/benchmarks/pack'
import { MAX_COMMENT_LENGTH, RATING_MAX, RATING_MIN } from '../../shared/api/review'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { DelimitedParser, type DelimitedRecord } from '../benchmarks/importers/delimited'
import { MAX_RECORD_BYTES, fileSize, formatBytes, utf8Chunks } from '../benchmarks/importers/text'
import { currentOsUser } from './identity'
import { findReviewer, openReviewer } from './reviewers'

/**
 * Ratings collected outside the app, from a CSV file with a header row: `reviewer` (a name; new
 * reviewers are created), `item` (the run item id), `criterion` (one of the item's benchmark's jury
 * criteria), `score` (a whole number 1–5) and optionally `comment`.
 *
 * The file is streamed, never read whole: the first pass reads it chunk by chunk (strict UTF-8,
 * the byte-level CSV parser of the benchmark importers) and checks every row — against the
 * database too, with read-only queries — keeping each good row in compact typed arrays (a
 * reviewer index, the item, a criterion index, the score; comments only where there is one). The
 * first problems are reported with the file, line and field, and then nothing is written.
 * Otherwise the second pass writes every row in one transaction, recording the importing OS user
 * and source 'csv'. A rating already in the database is an error unless `replace` is set.
 * 540,000 ratings: bench/review-import.ts.
 */

export interface ImportRatingsResult {
  file: string
  rows: number
  reviewers: string[]
  createdReviewers: string[]
  items: number
  replaced: number
}

const REQUIRED = ['reviewer', 'item', 'criterion', 'score'] as const
const OPTIONAL = ['comment'] as const
const MAX_ISSUES = 20

type Issue = { path: (string | number)[]; message: string }

/** A reviewer named in the file: the stored one (null id until created) and its display name. */
interface FileReviewer {
  id: number | null
  name: string
}

/** Good rows, column-wise: grows by doubling. */
class RowStore {
  length = 0
  reviewer = new Uint32Array(1024)
  item = new Float64Array(1024)
  criterion = new Uint16Array(1024)
  score = new Uint8Array(1024)
  readonly comments = new Map<number, string>()

  push(reviewer: number, item: number, criterion: number, score: number, comment: string): void {
    if (this.length === this.score.length) {
      const grow = <T extends Uint32Array | Float64Array | Uint16Array | Uint8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2)
        b.set(a)
        return b
      }
      this.reviewer = grow(this.reviewer)
      this.item = grow(this.item)
      this.criterion = grow(this.criterion)
      this.score = grow(this.score)
    }
    const i = this.length++
    this.reviewer[i] = reviewer
    this.item[i] = item
    this.criterion[i] = criterion
    this.score[i] = score
    if (comment !== '') this.comments.set(i, comment)
  }
}

/**
 * Where each (reviewer, item, criterion) key was first seen: an open-addressing hash table on typed
 * arrays (12 bytes a slot), where a Map of 540,000 number keys takes some 40 MB of heap.
 */
class FirstLines {
  private keys = new Float64Array(1 << 16)
  private lines = new Uint32Array(1 << 16)
  private size = 0

  private slot(key: number): number {
    const mask = this.keys.length - 1
    let i = Math.imul((key % 0x100000000) ^ Math.floor(key / 0x100000000), 0x9e3779b1) & mask
    // Keys are stored + 1, so 0 marks an empty slot.
    while (this.keys[i] !== 0 && this.keys[i] !== key + 1) i = (i + 1) & mask
    return i
  }

  /** The line `key` was first seen on, or records `line` for it and returns undefined. */
  firstOr(key: number, line: number): number | undefined {
    const i = this.slot(key)
    if (this.keys[i] !== 0) return this.lines[i]
    this.keys[i] = key + 1
    this.lines[i] = line
    if (++this.size * 2 > this.keys.length) this.grow()
    return undefined
  }

  private grow(): void {
    const { keys, lines } = this
    this.keys = new Float64Array(keys.length * 2)
    this.lines = new Uint32Array(keys.length * 2)
    for (let j = 0; j < keys.length; j++)
      if (keys[j] !== 0) {
        const i = this.slot(keys[j]! - 1)
        this.keys[i] = keys[j]!
        this.lines[i] = lines[j]!
      }
  }
}

/** The jury criteria of each run item's benchmark (manifests read once per benchmark version). */
function criteriaOfItems(db: Db) {
  const itemVersion = db
    .prepare(
      'SELECT i.benchmark_version_id AS v FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.id = ?',
    )
    .pluck()
  const manifest = db.prepare('SELECT benchmark_id, manifest_json FROM benchmark_versions WHERE id = ?')
  const byVersion = new Map<number, { benchmark: string; criteria: string[] }>()
  const byItem = new Map<number, { benchmark: string; criteria: string[] } | null>()
  return (item: number): { benchmark: string; criteria: string[] } | null => {
    const cached = byItem.get(item)
    if (cached !== undefined) return cached
    const v = itemVersion.get(item) as number | undefined
    let known = v === undefined ? null : (byVersion.get(v) ?? null)
    if (v !== undefined && !known) {
      const m = manifest.get(v) as { benchmark_id: string; manifest_json: string }
      const parsed = BenchmarkManifest.safeParse(JSON.parse(m.manifest_json))
      known = {
        benchmark: m.benchmark_id,
        criteria: parsed.success ? (parsed.data.jury?.criteria.map((c) => c.id) ?? []) : [],
      }
      byVersion.set(v, known)
    }
    byItem.set(item, known)
    return known
  }
}

/** The first pass: the header, then each row checked and kept (compactly) or reported. */
class RatingsCheck {
  readonly issues: Issue[] = []
  problems = 0
  rowsSeen = 0
  readonly rows = new RowStore()
  readonly reviewers: FileReviewer[] = []
  readonly criteria: string[] = []
  replaced = 0
  private col = new Map<string, number>()
  private width = 0
  private readonly reviewerIndex = new Map<string, number>()
  private readonly criterionIndex = new Map<string, number>()
  /** (reviewer, item, criterion) → the line it was first rated on. */
  private readonly seen = new FirstLines()
  /** The same, for keys too large to pack into one number (tens of thousands of reviewers). */
  private readonly seenWide = new Map<string, number>()
  private readonly criteriaOf: ReturnType<typeof criteriaOfItems>
  private readonly existing: Statement
  private readonly findReviewer: (name: string) => { id: number; name: string } | null

  constructor(
    db: Db,
    readonly file: string,
    private readonly replace: boolean,
  ) {
    this.criteriaOf = criteriaOfItems(db)
    this.existing = db.prepare(
      'SELECT 1 FROM ratings WHERE reviewer_id = ? AND run_item_id = ? AND criterion = ?',
    )
    this.findReviewer = (name) => findReviewer(db, name)
  }

  issue(line: number, field: string, message: string): void {
    this.problems++
    if (this.issues.length < MAX_ISSUES)
      this.issues.push({
        path: [this.file, line, field],
        message: `${this.file} line ${line}, ${field}: ${message}`,
      })
  }

  header(rec: DelimitedRecord): void {
    const names = rec.fields.map((f) => f.trim().toLowerCase())
    this.width = names.length
    names.forEach((n, i) => {
      if (!(REQUIRED as readonly string[]).includes(n) && !(OPTIONAL as readonly string[]).includes(n))
        this.issue(
          rec.line,
          n || `column ${i + 1}`,
          `unknown column (expected ${[...REQUIRED, ...OPTIONAL].join(', ')})`,
        )
      else if (this.col.has(n)) this.issue(rec.line, n, 'the column appears twice')
      else this.col.set(n, i)
    })
    for (const r of REQUIRED) if (!this.col.has(r)) this.issue(rec.line, r, 'required column is missing')
    if (this.issues.length) throw failure(this.file, this.issues, this.problems)
  }

  private reviewerOf(name: string): number {
    const key = name.toLowerCase()
    let i = this.reviewerIndex.get(key)
    if (i === undefined) {
      const known = this.findReviewer(name)
      i = this.reviewers.push(known ? { id: known.id, name: known.name } : { id: null, name }) - 1
      this.reviewerIndex.set(key, i)
    }
    return i
  }

  private criterionOf(name: string): number {
    let i = this.criterionIndex.get(name)
    if (i === undefined) this.criterionIndex.set(name, (i = this.criteria.push(name) - 1))
    return i
  }

  row(rec: DelimitedRecord): void {
    this.rowsSeen++
    if (rec.fields.length !== this.width) {
      this.issue(rec.line, 'row', `has ${rec.fields.length} fields; the header has ${this.width}`)
      return
    }
    const field = (name: string) => (rec.fields[this.col.get(name) ?? -1] ?? '').trim()
    const reviewer = field('reviewer')
    const criterion = field('criterion')
    const comment = this.col.has('comment') ? field('comment') : ''
    let ok = true
    const bad = (name: string, message: string) => {
      this.issue(rec.line, name, message)
      ok = false
    }
    if (reviewer === '') bad('reviewer', 'empty; name the reviewer')
    else if (reviewer.length > 100) bad('reviewer', 'longer than 100 characters')
    const item = this.checkItem(field('item'), criterion, bad)
    const score = this.checkScore(field('score'), bad)
    if (comment.length > MAX_COMMENT_LENGTH) bad('comment', `longer than ${MAX_COMMENT_LENGTH} characters`)
    if (!ok) return
    this.keep(rec.line, this.reviewerOf(reviewer), item, this.criterionOf(criterion), score, comment)
  }

  private checkItem(text: string, criterion: string, bad: (f: string, m: string) => void): number {
    const item = /^\d+$/.test(text) ? Number(text) : NaN
    if (!Number.isSafeInteger(item) || item < 1) {
      bad('item', `"${text}" is not a run item id (a positive whole number)`)
      return item
    }
    const found = this.criteriaOf(item)
    if (!found) bad('item', `there is no run item ${item} in this database`)
    else if (found.criteria.length === 0)
      bad('item', `run item ${item} is on ${found.benchmark}, which has no jury criteria to rate`)
    else if (!found.criteria.includes(criterion))
      bad(
        'criterion',
        `"${criterion}" is not a criterion of ${found.benchmark} (${found.criteria.join(', ')})`,
      )
    return item
  }

  private checkScore(text: string, bad: (f: string, m: string) => void): number {
    const score = /^\d+$/.test(text) ? Number(text) : NaN
    if (text === '') bad('score', 'empty; every row needs a score (none is assumed)')
    else if (!(score >= RATING_MIN && score <= RATING_MAX))
      bad('score', `"${text}" is not a whole number from ${RATING_MIN} to ${RATING_MAX}`)
    return score
  }

  private firstSeen(r: number, item: number, c: number, line: number): number | undefined {
    if (r < 0x10000 && c < 0x100 && item < 2 ** 29)
      return this.seen.firstOr(item * 2 ** 24 + c * 2 ** 16 + r, line)
    const key = `${r}:${item}:${c}`
    const earlier = this.seenWide.get(key)
    if (earlier === undefined) this.seenWide.set(key, line)
    return earlier
  }

  /** Refuses a rating given twice in the file, or already stored (unless replacing); keeps the rest. */
  private keep(line: number, r: number, item: number, c: number, score: number, comment: string): void {
    const who = this.reviewers[r]!
    const criterion = this.criteria[c]!
    const earlier = this.firstSeen(r, item, c, line)
    if (earlier !== undefined) {
      this.issue(
        line,
        'criterion',
        `${who.name} already rated item ${item} on ${criterion} at line ${earlier}`,
      )
      return
    }
    if (who.id !== null && this.existing.get(who.id, item, criterion)) {
      if (!this.replace) {
        this.issue(
          line,
          'criterion',
          `${who.name} already rated item ${item} on ${criterion} in this database (use --replace to overwrite)`,
        )
        return
      }
      this.replaced++
    }
    this.rows.push(r, item, c, score, comment)
  }
}

/** First pass: streams the file through the CSV parser into `check`. */
async function checkFile(path: string, check: RatingsCheck): Promise<void> {
  const parser = new DelimitedParser(0x2c, true)
  const recs: DelimitedRecord[] = []
  let headerSeen = false
  const take = () => {
    for (const rec of recs) {
      if (headerSeen) check.row(rec)
      else {
        check.header(rec)
        headerSeen = true
      }
    }
    recs.length = 0
  }
  for await (const chunk of utf8Chunks(path)) {
    parser.push(chunk, recs)
    if (parser.problem) break
    const pending = parser.pending
    if (pending.bytes > MAX_RECORD_BYTES)
      throw new AppError(
        'bad_data',
        `${check.file} line ${pending.line}: a record is longer than ${formatBytes(MAX_RECORD_BYTES)} (an unclosed quote?)`,
      )
    take()
  }
  const open = parser.problem ? null : parser.end(recs)
  if (parser.problem)
    throw new AppError('bad_data', `${check.file} line ${parser.problem.line}: ${parser.problem.message}`)
  if (open !== null)
    throw new AppError('bad_data', `${check.file} line ${open}: a quoted field is never closed`)
  take()
  if (!headerSeen)
    throw new AppError('bad_data', `${check.file}: the file has no header row (${REQUIRED.join(', ')})`)
}

/** Rows per INSERT statement: one statement per 100 rows spares most of the per-call overhead. */
const BATCH = 100

function insertSql(n: number, replace: boolean): string {
  const values = Array.from({ length: n }, () => "(?, ?, ?, ?, ?, ?, ?, 'csv')").join(', ')
  return `INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at, os_user, source)
    VALUES ${values}${
      replace
        ? ` ON CONFLICT (reviewer_id, run_item_id, criterion) DO UPDATE SET score = excluded.score,
            comment = excluded.comment, created_at = excluded.created_at, os_user = excluded.os_user, source = excluded.source`
        : ''
    }`
}

/** Second pass: every kept row in one transaction; creates the new reviewers. */
function writeRows(db: Db, check: RatingsCheck, replace: boolean, osUser: string): string[] {
  const created: string[] = []
  const now = new Date().toISOString()
  const many = db.prepare(insertSql(BATCH, replace))
  const one = db.prepare(insertSql(1, replace))
  const { rows } = check
  db.transaction(() => {
    const ids = check.reviewers.map((r) => {
      if (r.id !== null) return r.id
      const made = openReviewer(db, r.name)
      created.push(made.name)
      return made.id
    })
    const params: (number | string)[] = []
    const add = (i: number) =>
      params.push(
        ids[rows.reviewer[i]!]!,
        rows.item[i]!,
        check.criteria[rows.criterion[i]!]!,
        rows.score[i]!,
        rows.comments.get(i) ?? '',
        now,
        osUser,
      )
    let i = 0
    for (; i + BATCH <= rows.length; i += BATCH) {
      params.length = 0
      for (let j = i; j < i + BATCH; j++) add(j)
      many.run(params)
    }
    for (; i < rows.length; i++) {
      params.length = 0
      add(i)
      one.run(params)
    }
  }).immediate()
  return created
}

export async function importRatings(
  db: Db,
  path: string,
  options: { replace?: boolean } = {},
  osUser = currentOsUser(),
): Promise<ImportRatingsResult> {
  const file = basename(path)
  await fileSize(path, 'ratings file')
  const check = new RatingsCheck(db, file, !!options.replace)
  await checkFile(path, check)
  if (process.env.DBG_MEM)
    console.log('after check', process.memoryUsage(), process.resourceUsage().maxRSS / 1024)
  if (check.rowsSeen === 0) throw new AppError('bad_data', `${file}: the file has a header but no ratings`)
  if (check.issues.length) throw failure(file, check.issues, check.problems)
  let created: string[]
  try {
    created = writeRows(db, check, !!options.replace, osUser)
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
      throw new AppError(
        'conflict',
        `${file}: nothing was imported; ratings of these items were added by someone else while the file was checked. Import it again.`,
      )
    throw e
  }
  const items = new Set<number>()
  for (let i = 0; i < check.rows.length; i++) items.add(check.rows.item[i]!)
  const used = new Set(Array.from(check.rows.reviewer.subarray(0, check.rows.length)))
  return {
    file,
    rows: check.rows.length,
    reviewers: check.reviewers
      .filter((_, i) => used.has(i))
      .map((r) => r.name)
      .sort((a, b) => a.localeCompare(b)),
    createdReviewers: created,
    items: items.size,
    replaced: check.replaced,
  }
}

function failure(file: string, issues: Issue[], problems: number): AppError {
  const shown = issues.slice(0, 5).map((i) => i.message)
  const more = problems > 5 ? `\n… and ${problems - 5} more problem(s)` : ''
  return new AppError('bad_data', `${file}: nothing was imported.\n${shown.join('\n')}${more}`, { issues })
}
