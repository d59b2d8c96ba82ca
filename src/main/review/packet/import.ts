import { basename } from 'node:path'
import { MAX_COMMENT_LENGTH, RATING_MAX, RATING_MIN } from '../../../shared/api/review'
import type { PacketImportResult } from '../../../shared/api/review-packets'
import type { Db } from '../../db/open'
import { AppError } from '../../errors'
import { currentOsUser } from '../identity'
import { getReviewer } from '../reviewers'
import { loadReviewSet } from '../sets'
import { RATINGS_FORMAT, RatingsBody, readHashedFile, type RatedItem } from './format'

/**
 * Importing a ratings file made from a packet exported here (coordinator side). Refused whole,
 * with the reason, when it was altered after it was written, rates another packet (one not
 * exported from this database), names an item whose hash is not the packet's item at that
 * position, rates a position twice, or holds a score that is not a whole number 1–5 for exactly
 * the set's criteria. Otherwise every rating is written in one transaction under the packet's
 * reviewer, with the OS user who entered it on the other workstation (source 'packet').
 */

interface Sent {
  setId: number
  reviewerId: number
  /** Per position: [run item id, item hash]. */
  items: [number, string][]
}

function sentPacket(db: Db, file: string, packetHash: string): Sent {
  const row = db
    .prepare('SELECT set_id, reviewer_id, items_json FROM review_packets_out WHERE hash = ?')
    .get(packetHash) as { set_id: number; reviewer_id: number; items_json: string } | undefined
  if (!row)
    throw new AppError(
      'conflict',
      `${file}: nothing was imported. These ratings are for packet ${packetHash.slice(0, 12)}…, which was not exported from this database (another packet, or another WardEval database)`,
    )
  return {
    setId: row.set_id,
    reviewerId: row.reviewer_id,
    items: JSON.parse(row.items_json) as [number, string][],
  }
}

/** The first problem of one rated item, or null. */
function itemProblem(
  it: RatedItem,
  sent: Sent,
  criteria: readonly string[],
  seen: Set<number>,
): string | null {
  const at = `item at position ${it.position}`
  const expected = sent.items[it.position]
  if (!Number.isInteger(it.position) || !expected)
    return `${at}: the packet has no such position (it has positions 0–${sent.items.length - 1})`
  if (seen.has(it.position)) return `${at}: rated twice (duplicated)`
  if (it.itemHash !== expected[1])
    return `${at}: its item hash does not match the packet's item there (the item was altered)`
  const unknown = Object.keys(it.scores).filter((c) => !criteria.includes(c))
  if (unknown.length) return `${at}: "${unknown[0]}" is not a criterion of the set (${criteria.join(', ')})`
  for (const c of criteria) {
    const v = it.scores[c]
    if (v === undefined) return `${at}: no score for ${c}`
    if (typeof v !== 'number' || !Number.isInteger(v) || v < RATING_MIN || v > RATING_MAX)
      return `${at}, ${c}: ${JSON.stringify(v)} is not a whole number from ${RATING_MIN} to ${RATING_MAX} (out of range)`
  }
  if (it.comment.length > MAX_COMMENT_LENGTH)
    return `${at}: comment longer than ${MAX_COMMENT_LENGTH} characters`
  return null
}

export function importPacketRatings(db: Db, path: string, osUser = currentOsUser()): PacketImportResult {
  const file = basename(path)
  const { body, hash } = readHashedFile(path, 'ratings', RatingsBody, RATINGS_FORMAT, 'ratings file')
  const sent = sentPacket(db, file, body.packetHash)
  const set = loadReviewSet(db, sent.setId)
  const reviewer = getReviewer(db, sent.reviewerId)
  if (body.setId !== sent.setId)
    throw new AppError(
      'bad_data',
      `${file}: nothing was imported. It names review set ${body.setId}; its packet is of set ${sent.setId}`,
    )
  const criteria = set.criteria.map((c) => c.id)
  const seen = new Set<number>()
  const problems: string[] = []
  for (const it of body.items) {
    const p = itemProblem(it, sent, criteria, seen)
    if (p) problems.push(p)
    else seen.add(it.position)
  }
  if (problems.length)
    throw new AppError(
      'bad_data',
      `${file}: nothing was imported.\n${problems.slice(0, 5).join('\n')}${problems.length > 5 ? `\n… and ${problems.length - 5} more problem(s)` : ''}`,
      { issues: problems.slice(0, 20).map((m) => ({ path: [file], message: m })) },
    )
  const result: PacketImportResult = {
    file,
    packetHash: body.packetHash,
    setId: sent.setId,
    reviewer: reviewer.name,
    items: body.items.length,
    ratings: body.items.length * criteria.length,
    replaced: 0,
    osUsers: [...new Set(body.items.map((i) => i.osUser))].sort(),
    alreadyImported: false,
  }
  const before = db.prepare('SELECT 1 FROM review_packet_imports WHERE ratings_hash = ?').get(hash)
  if (before) return { ...result, alreadyImported: true }
  result.replaced = writeRatings(db, body, sent, { reviewerId: reviewer.id, criteria, hash, osUser })
  return result
}

/** Every rating under the packet's reviewer, and the import's record, in one transaction; returns how many stored ratings it replaced. */
function writeRatings(
  db: Db,
  body: RatingsBody,
  sent: Sent,
  to: { reviewerId: number; criteria: readonly string[]; hash: string; osUser: string },
): number {
  let replaced = 0
  const existing = db.prepare(
    'SELECT 1 FROM ratings WHERE reviewer_id = ? AND run_item_id = ? AND criterion = ?',
  )
  const upsert = db.prepare(
    `INSERT INTO ratings (reviewer_id, run_item_id, criterion, score, comment, created_at, os_user, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'packet')
     ON CONFLICT (reviewer_id, run_item_id, criterion) DO UPDATE SET score = excluded.score,
       comment = excluded.comment, created_at = excluded.created_at, os_user = excluded.os_user, source = excluded.source`,
  )
  db.transaction(() => {
    for (const it of body.items) {
      const runItem = sent.items[it.position]![0]
      for (const c of to.criteria) {
        if (existing.get(to.reviewerId, runItem, c)) replaced++
        upsert.run(to.reviewerId, runItem, c, it.scores[c] as number, it.comment, it.ratedAt, it.osUser)
      }
    }
    db.prepare(
      'INSERT INTO review_packet_imports (ratings_hash, packet_hash, items, os_user, imported_at) VALUES (?, ?, ?, ?, ?)',
    ).run(to.hash, body.packetHash, body.items.length, to.osUser, new Date().toISOString())
  }).immediate()
  return replaced
}
