import { basename } from 'node:path'
import { BenchmarkManifest } from '../../shared/benchmarks/pack'
import { MAX_COMMENT_LENGTH, RATING_MAX, RATING_MIN } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { CsvIssues, csvColumns, readCsvRecords } from '../csv/read'
import { findReviewer, openReviewer } from './reviewers'

/**
 * Ratings collected outside the app, from a CSV file with a header row: `reviewer` (a name; new
 * reviewers are created), `item` (the run item id), `criterion` (one of the item's benchmark's jury
 * criteria), `score` (a whole number 1–5) and optionally `comment`. Every row is checked before
 * anything is written; the first problems are reported with the file, line and field, and then
 * nothing is written. Otherwise all rows are written in one transaction. A rating already in the
 * database is an error unless `replace` is set.
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

interface Row {
  line: number
  reviewer: string
  item: number
  criterion: string
  score: number
  comment: string
}

/** The jury criteria of each run item's benchmark (manifests read once per benchmark version). */
function criteriaOfItems(db: Db) {
  const itemVersion = db.prepare(
    'SELECT i.benchmark_version_id AS v FROM run_items ri JOIN instances i ON i.id = ri.instance_id WHERE ri.id = ?',
  )
  const manifest = db.prepare('SELECT benchmark_id, manifest_json FROM benchmark_versions WHERE id = ?')
  const byVersion = new Map<number, { benchmark: string; criteria: string[] }>()
  return (item: number): { benchmark: string; criteria: string[] } | null => {
    const row = itemVersion.get(item) as { v: number } | undefined
    if (!row) return null
    let known = byVersion.get(row.v)
    if (!known) {
      const m = manifest.get(row.v) as { benchmark_id: string; manifest_json: string }
      const parsed = BenchmarkManifest.safeParse(JSON.parse(m.manifest_json))
      known = {
        benchmark: m.benchmark_id,
        criteria: parsed.success ? (parsed.data.jury?.criteria.map((c) => c.id) ?? []) : [],
      }
      byVersion.set(row.v, known)
    }
    return known
  }
}

export function importRatings(
  db: Db,
  path: string,
  options: { replace?: boolean } = {},
): ImportRatingsResult {
  const file = basename(path)
  const recs = readCsvRecords(path, file, 'ratings file')
  const header = recs[0]
  if (!header) throw new AppError('bad_data', `${file}: the file has no header row (${REQUIRED.join(', ')})`)
  const names = header.fields
  const issues = new CsvIssues(file, MAX_ISSUES)
  const issue = (line: number, field: string, message: string) => issues.add(line, field, message)
  const col = csvColumns(header, REQUIRED, OPTIONAL, issues)
  issues.throwIfAny('nothing was imported')
  if (recs.length === 1) throw new AppError('bad_data', `${file}: the file has a header but no ratings`)

  const criteriaOf = criteriaOfItems(db)
  const rows: Row[] = []
  const seen = new Map<string, number>()
  for (const rec of recs.slice(1)) {
    const field = (name: string) => (rec.fields[col.get(name) ?? -1] ?? '').trim()
    if (rec.fields.length !== names.length) {
      issue(rec.line, 'row', `has ${rec.fields.length} fields; the header has ${names.length}`)
      continue
    }
    const reviewer = field('reviewer')
    const itemText = field('item')
    const criterion = field('criterion')
    const scoreText = field('score')
    const comment = col.has('comment') ? field('comment') : ''
    let ok = true
    const bad = (name: string, message: string) => {
      issue(rec.line, name, message)
      ok = false
    }
    if (reviewer === '') bad('reviewer', 'empty; name the reviewer')
    else if (reviewer.length > 100) bad('reviewer', 'longer than 100 characters')
    const item = /^\d+$/.test(itemText) ? Number(itemText) : NaN
    const found = Number.isSafeInteger(item) && item >= 1 ? criteriaOf(item) : null
    if (!Number.isSafeInteger(item) || item < 1)
      bad('item', `"${itemText}" is not a run item id (a positive whole number)`)
    else if (!found) bad('item', `there is no run item ${item} in this database`)
    else if (found.criteria.length === 0)
      bad('item', `run item ${item} is on ${found.benchmark}, which has no jury criteria to rate`)
    else if (!found.criteria.includes(criterion))
      bad(
        'criterion',
        `"${criterion}" is not a criterion of ${found.benchmark} (${found.criteria.join(', ')})`,
      )
    const score = /^\d+$/.test(scoreText) ? Number(scoreText) : NaN
    if (scoreText === '') bad('score', 'empty; every row needs a score (none is assumed)')
    else if (!(score >= RATING_MIN && score <= RATING_MAX))
      bad('score', `"${scoreText}" is not a whole number from ${RATING_MIN} to ${RATING_MAX}`)
    if (comment.length > MAX_COMMENT_LENGTH) bad('comment', `longer than ${MAX_COMMENT_LENGTH} characters`)
    if (!ok) continue
    const key = `${reviewer.toLowerCase()}\u0000${item}\u0000${criterion}`
    const earlier = seen.get(key)
    if (earlier !== undefined) {
      issue(
        rec.line,
        'criterion',
        `${reviewer} already rated item ${item} on ${criterion} at line ${earlier}`,
      )
      continue
    }
    seen.set(key, rec.line)
    rows.push({ line: rec.line, reviewer, item, criterion, score, comment })
  }

  // Ratings already stored (checked against existing reviewers only; new ones have none).
  const existing = db.prepare(
    'SELECT 1 FROM ratings WHERE reviewer_id = ? AND run_item_id = ? AND criterion = ?',
  )
  let replaced = 0
  for (const r of rows) {
    const known = findReviewer(db, r.reviewer)
    if (known && existing.get(known.id, r.item, r.criterion)) {
      if (options.replace) replaced++
      else
        issue(
          r.line,
          'criterion',
          `${known.name} already rated item ${r.item} on ${r.criterion} in this database (use --replace to overwrite)`,
        )
    }
  }
  issues.throwIfAny('nothing was imported')

  const created: string[] = []
  const now = new Date().toISOString()
  const upsert = db.prepare(
    `INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (reviewer_id, run_item_id, criterion)
     DO UPDATE SET score = excluded.score, comment = excluded.comment, created_at = excluded.created_at`,
  )
  const reviewers = new Map<string, string>()
  db.transaction(() => {
    for (const r of rows) {
      const before = findReviewer(db, r.reviewer)
      const reviewer = before ?? openReviewer(db, r.reviewer)
      if (!before) created.push(reviewer.name)
      reviewers.set(reviewer.name.toLowerCase(), reviewer.name)
      upsert.run(reviewer.id, r.item, r.criterion, r.score, r.comment, now)
    }
  }).immediate()
  return {
    file,
    rows: rows.length,
    reviewers: [...reviewers.values()].sort((a, b) => a.localeCompare(b)),
    createdReviewers: created,
    items: new Set(rows.map((r) => r.item)).size,
    replaced,
  }
}
