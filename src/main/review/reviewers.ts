import type { Reviewer } from '../../shared/api/review'
import type { Db } from '../db/open'
import { AppError } from '../errors'

/** Reviewers: clinicians who rate model outputs. A name is unique regardless of letter case. */

interface Row {
  id: number
  name: string
  role: string
  created_at: string
}

const toReviewer = (r: Row): Reviewer => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at })

export function listReviewers(db: Db): Reviewer[] {
  return (
    db
      .prepare('SELECT id, name, role, created_at FROM reviewers ORDER BY name COLLATE NOCASE, id')
      .all() as Row[]
  ).map(toReviewer)
}

export function findReviewer(db: Db, name: string): Reviewer | null {
  const row = db
    .prepare(
      'SELECT id, name, role, created_at FROM reviewers WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 1',
    )
    .get(name.trim()) as Row | undefined
  return row ? toReviewer(row) : null
}

/** The reviewer of this name, created (role clinician) when there is none. */
export function openReviewer(db: Db, name: string): Reviewer {
  const trimmed = name.trim()
  if (trimmed === '') throw new AppError('invalid_input', 'reviewer: the name is empty')
  const existing = findReviewer(db, trimmed)
  if (existing) return existing
  const id = Number(
    db
      .prepare("INSERT INTO reviewers (name, role, created_at) VALUES (?, 'clinician', ?)")
      .run(trimmed, new Date().toISOString()).lastInsertRowid,
  )
  return getReviewer(db, id)
}

export function getReviewer(db: Db, id: number): Reviewer {
  const row = db.prepare('SELECT id, name, role, created_at FROM reviewers WHERE id = ?').get(id) as
    Row | undefined
  if (!row) throw new AppError('not_found', `reviewer: there is no reviewer ${id}`)
  return toReviewer(row)
}
