import type { BlindItem, RateParsed, RateResult, ReviewSession } from '../../../shared/api/review'
import type { OpenedPacket, PacketRatingsResult } from '../../../shared/api/review-packets'
import type { Db } from '../../db/open'
import { AppError } from '../../errors'
import { currentOsUser } from '../identity'
import { requireScores } from '../rating'
import {
  FORMAT_VERSION,
  itemHash,
  PACKET_FORMAT,
  PacketBody,
  RATINGS_FORMAT,
  readHashedFile,
  writeHashedFile,
  type RatingsBody,
} from './format'

/**
 * A review packet on the clinician's workstation: opened into the local database (checked whole:
 * its hash, every item's hash, positions 0…n-1), rated on the same blind screen as a review set,
 * and exported as a ratings file bound to the packet's hash. Nothing here knows models, the jury or
 * other reviewers: the packet does not hold them.
 */

type Header = Omit<PacketBody, 'items'>

interface PacketRow {
  id: number
  hash: string
  header: Header
  position: number
  openedAt: string
}

function loadPacket(db: Db, packetId: number): PacketRow {
  const row = db
    .prepare('SELECT id, hash, header_json, position, opened_at FROM review_packets_in WHERE id = ?')
    .get(packetId) as
    { id: number; hash: string; header_json: string; position: number; opened_at: string } | undefined
  if (!row)
    throw new AppError(
      'not_found',
      `packet: there is no opened packet ${packetId} (see \`review packet list\`)`,
    )
  return {
    id: row.id,
    hash: row.hash,
    header: JSON.parse(row.header_json) as Header,
    position: row.position,
    openedAt: row.opened_at,
  }
}

const countItems = (db: Db, packetId: number): number =>
  db.prepare('SELECT COUNT(*) FROM review_packet_items WHERE packet_id = ?').pluck().get(packetId) as number

/** Positions rated on every criterion. */
function ratedPositions(db: Db, p: PacketRow): Set<number> {
  const n = p.header.set.criteria.length
  const rows = db
    .prepare(
      'SELECT position FROM review_packet_ratings WHERE packet_id = ? GROUP BY position HAVING COUNT(*) = ?',
    )
    .pluck()
    .all(p.id, n) as number[]
  return new Set(rows)
}

function summary(db: Db, p: PacketRow, alreadyOpen = false): OpenedPacket {
  return {
    id: p.id,
    hash: p.hash,
    setId: p.header.set.id,
    reviewer: p.header.reviewer,
    benchmarkName: p.header.set.benchmarkName,
    containsPatientText: p.header.patientText.contains,
    total: countItems(db, p.id),
    rated: ratedPositions(db, p).size,
    createdAt: p.header.createdAt,
    openedAt: p.openedAt,
    alreadyOpen,
  }
}

/** Checks the packet whole and loads it for rating; opening the same packet again changes nothing. */
export function openPacket(db: Db, path: string): OpenedPacket {
  const { body, hash } = readHashedFile(path, 'packet', PacketBody, PACKET_FORMAT, 'review packet')
  body.items.forEach((item, i) => {
    if (item.position !== i)
      throw new AppError(
        'bad_data',
        `review packet: item ${i} has position ${item.position}; positions must run 0…${body.items.length - 1}`,
      )
    if (itemHash(item) !== item.hash)
      throw new AppError(
        'bad_data',
        `review packet: the item at position ${i} does not match its hash (altered)`,
      )
  })
  const existing = db.prepare('SELECT id FROM review_packets_in WHERE hash = ?').pluck().get(hash) as
    number | undefined
  if (existing !== undefined) return summary(db, loadPacket(db, existing), true)
  const { items, ...header } = body
  const id = db
    .transaction(() => {
      const packetId = Number(
        db
          .prepare('INSERT INTO review_packets_in (hash, header_json, opened_at) VALUES (?, ?, ?)')
          .run(hash, JSON.stringify(header), new Date().toISOString()).lastInsertRowid,
      )
      const insert = db.prepare(
        'INSERT INTO review_packet_items (packet_id, position, item_hash, input, output, gold) VALUES (?, ?, ?, ?, ?, ?)',
      )
      for (const it of items) insert.run(packetId, it.position, it.hash, it.input, it.output, it.gold)
      return packetId
    })
    .immediate()
  return summary(db, loadPacket(db, id))
}

export function listPackets(db: Db): OpenedPacket[] {
  const ids = db.prepare('SELECT id FROM review_packets_in ORDER BY id DESC').pluck().all() as number[]
  return ids.map((id) => summary(db, loadPacket(db, id)))
}

function firstUnrated(total: number, done: Set<number>, after = -1): number | null {
  for (let i = after + 1; i < total; i++) if (!done.has(i)) return i
  return null
}

/** Where the clinician stopped. `setId` is the packet's set at the coordinator; reviewer id 0 (the packet names its reviewer). */
export function packetSession(db: Db, packetId: number): ReviewSession {
  const p = loadPacket(db, packetId)
  const total = countItems(db, p.id)
  const done = ratedPositions(db, p)
  return {
    setId: p.header.set.id,
    reviewerId: 0,
    total,
    rated: done.size,
    position: Math.min(p.position, total),
    firstUnrated: firstUnrated(total, done),
    criteria: p.header.set.criteria,
  }
}

function outOfRange(p: PacketRow, position: number, total: number): AppError {
  return new AppError(
    'invalid_input',
    `position: ${position} is outside packet ${p.id}, which has ${total} items (positions 0–${total - 1})`,
  )
}

export function packetItem(db: Db, packetId: number, position: number): BlindItem {
  const p = loadPacket(db, packetId)
  const total = countItems(db, p.id)
  const row = db
    .prepare('SELECT input, output, gold FROM review_packet_items WHERE packet_id = ? AND position = ?')
    .get(p.id, position) as { input: string; output: string; gold: string | null } | undefined
  if (!row) throw outOfRange(p, position, total)
  const mine = db
    .prepare(
      'SELECT criterion, score, comment FROM review_packet_ratings WHERE packet_id = ? AND position = ?',
    )
    .all(p.id, position) as { criterion: string; score: number; comment: string }[]
  db.prepare('UPDATE review_packets_in SET position = ? WHERE id = ?').run(position, p.id)
  return {
    setId: p.header.set.id,
    position,
    total,
    rated: ratedPositions(db, p).size,
    input: row.input,
    output: row.output,
    gold: row.gold,
    criteria: p.header.set.criteria.map((c) => ({ id: c.id, name: c.name, description: c.description })),
    myRating:
      mine.length === 0
        ? null
        : {
            scores: Object.fromEntries(mine.map((m) => [m.criterion, m.score])),
            comment: mine.find((m) => m.comment !== '')?.comment ?? '',
          },
  }
}

/** Saves one item's scores (every criterion) in one transaction; the place moves to the next unrated item. */
export function ratePacketItem(
  db: Db,
  input: Omit<RateParsed, 'setId' | 'reviewerId'> & { packetId: number },
  osUser = currentOsUser(),
): RateResult {
  const p = loadPacket(db, input.packetId)
  const total = countItems(db, p.id)
  if (input.position >= total) throw outOfRange(p, input.position, total)
  const ids = p.header.set.criteria.map((c) => c.id)
  requireScores(input.scores, ids, `packet ${p.id}`)
  const upsert = db.prepare(
    `INSERT INTO review_packet_ratings (packet_id, position, criterion, score, comment, os_user, rated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (packet_id, position, criterion) DO UPDATE SET score = excluded.score,
       comment = excluded.comment, os_user = excluded.os_user, rated_at = excluded.rated_at`,
  )
  const now = new Date().toISOString()
  return db
    .transaction((): RateResult => {
      for (const c of ids)
        upsert.run(p.id, input.position, c, input.scores[c] as number, input.comment, osUser, now)
      const done = ratedPositions(db, p)
      const next = firstUnrated(total, done, input.position) ?? total
      db.prepare('UPDATE review_packets_in SET position = ? WHERE id = ?').run(next, p.id)
      return { position: next, rated: done.size, total, firstUnrated: firstUnrated(total, done) }
    })
    .immediate()
}

/** The ratings file's content: every item rated on every criterion, with its item hash. */
function ratingsBody(db: Db, p: PacketRow): RatingsBody {
  const rows = db
    .prepare(
      `SELECT r.position, i.item_hash AS itemHash, r.criterion, r.score, r.comment, r.os_user AS osUser, r.rated_at AS ratedAt
       FROM review_packet_ratings r JOIN review_packet_items i ON i.packet_id = r.packet_id AND i.position = r.position
       WHERE r.packet_id = ? ORDER BY r.position, r.criterion`,
    )
    .all(p.id) as {
    position: number
    itemHash: string
    criterion: string
    score: number
    comment: string
    osUser: string
    ratedAt: string
  }[]
  const done = ratedPositions(db, p)
  const items = new Map<number, RatingsBody['items'][number]>()
  for (const r of rows) {
    if (!done.has(r.position)) continue
    const it = items.get(r.position) ?? {
      position: r.position,
      itemHash: r.itemHash,
      scores: {},
      comment: '',
      osUser: r.osUser,
      ratedAt: r.ratedAt,
    }
    it.scores[r.criterion] = r.score
    if (r.comment !== '') it.comment = r.comment
    items.set(r.position, it)
  }
  return {
    format: RATINGS_FORMAT,
    version: FORMAT_VERSION,
    packetHash: p.hash,
    setId: p.header.set.id,
    reviewer: p.header.reviewer,
    exportedAt: new Date().toISOString(),
    items: [...items.values()],
  }
}

/** Writes the packet's ratings file (only items rated on every criterion). */
export function exportPacketRatings(db: Db, packetId: number, path: string): PacketRatingsResult {
  const p = loadPacket(db, packetId)
  const body = ratingsBody(db, p)
  if (body.items.length === 0)
    throw new AppError(
      'invalid_input',
      `packet ${p.id}: no item is rated yet; rate at least one before exporting ratings`,
    )
  const { hash } = writeHashedFile(path, 'ratings', body, () => undefined)
  return { path, packetHash: p.hash, hash, items: body.items.length, total: countItems(db, p.id) }
}
