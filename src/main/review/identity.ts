import type { IdentityWarning, Reviewer, ReviewerIdentity } from '../../shared/api/review'
import { currentActor } from '../audit/actor'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { getReviewer, openReviewer } from './reviewers'

/**
 * Who enters ratings. Every rating records the operating-system user who entered it, and the
 * reviewer last chosen on this machine is remembered, so choosing another one is a deliberate
 * act (confirmed) rather than a slip of the mouse. The agreement views warn when one OS user
 * entered ratings for several reviewers: the "independent" clinicians may be one person.
 */

/** The operating-system user running this process: the audit log's actor. */
export const currentOsUser = (): string => currentActor()

export function lastReviewer(db: Db): Reviewer | null {
  const row = db.prepare('SELECT reviewer_id FROM review_last_reviewer WHERE id = 1').get() as
    { reviewer_id: number } | undefined
  return row ? getReviewer(db, row.reviewer_id) : null
}

export function reviewerIdentity(db: Db, osUser = currentOsUser()): ReviewerIdentity {
  return { lastReviewer: lastReviewer(db), osUser }
}

function remember(db: Db, reviewerId: number, osUser: string): void {
  db.prepare(
    `INSERT INTO review_last_reviewer (id, reviewer_id, os_user, chosen_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET reviewer_id = excluded.reviewer_id, os_user = excluded.os_user, chosen_at = excluded.chosen_at`,
  ).run(reviewerId, osUser, new Date().toISOString())
}

/**
 * Chooses the reviewer of this name (created when there is none) as the one rating on this
 * machine. Another reviewer than the one last chosen here is refused (conflict) unless `confirmed`.
 */
export function chooseReviewer(
  db: Db,
  name: string,
  options: { confirmed?: boolean; osUser?: string } = {},
): Reviewer {
  const osUser = options.osUser ?? currentOsUser()
  return db
    .transaction(() => {
      const last = lastReviewer(db)
      const same = last !== null && last.name.toLowerCase() === name.trim().toLowerCase()
      if (last && !same && !options.confirmed)
        throw new AppError(
          'conflict',
          `reviewer: the reviewer last chosen on this machine is ${last.name}; confirm that ratings are now entered as ${name.trim()} (OS user ${osUser})`,
        )
      const reviewer = openReviewer(db, name)
      remember(db, reviewer.id, osUser)
      return reviewer
    })
    .immediate()
}

/**
 * OS users who entered ratings of these run items for more than one reviewer (ratings typed into
 * the app or a packet; a CSV import is one person entering everyone's ratings by design).
 */
export function identityWarnings(db: Db, setId: number): IdentityWarning[] {
  const rows = db
    .prepare(
      `SELECT r.os_user AS osUser, rv.name AS reviewer, COUNT(DISTINCT r.run_item_id) AS items
       FROM ratings r
       JOIN review_set_items si ON si.run_item_id = r.run_item_id AND si.set_id = ?
       JOIN reviewers rv ON rv.id = r.reviewer_id
       WHERE r.os_user IS NOT NULL AND r.source IN ('app', 'packet')
       GROUP BY r.os_user, r.reviewer_id
       ORDER BY r.os_user, rv.name COLLATE NOCASE`,
    )
    .all(setId) as { osUser: string; reviewer: string; items: number }[]
  const byUser = new Map<string, { reviewer: string; items: number }[]>()
  for (const r of rows) byUser.set(r.osUser, [...(byUser.get(r.osUser) ?? []), r])
  return [...byUser]
    .filter(([, list]) => list.length > 1)
    .map(([osUser, list]) => ({
      osUser,
      reviewers: list.map((l) => ({ reviewer: l.reviewer, items: l.items })),
      message: `OS user "${osUser}" entered ratings for ${list.length} reviewers (${list.map((l) => `${l.reviewer}: ${l.items} items`).join(', ')}); if one person rated as several clinicians, their agreement is not independent`,
    }))
}
