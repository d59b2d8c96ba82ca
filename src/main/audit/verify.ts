import type { Db } from '../db/open'
import type { VerifyResult } from '../../shared/api/models'
import { GENESIS_HASH, rowHash, type AuditRow } from './chain'
import { openIntents } from './intents'
import { readChainHead } from './log'

/** At most this many unfinished seqs are listed in a result (the count is always exact). */
export const UNFINISHED_LISTED = 1000

type Problem = NonNullable<VerifyResult['firstBad']>

/**
 * Walks the audit log in sequence order and checks every link: each row's prev_hash is the hash of
 * the row before it (the first row's is the genesis hash), its sequence number follows the previous
 * one, and its stored hash is the hash of its canonical serialization. Finally the last row must be
 * the chain head recorded at the last append (which catches rows deleted from the end).
 * Returns the first row that fails, naming what is wrong. Write-ahead intent rows that no outcome row
 * completes (the app stopped while the request was on the wire) are reported as unfinished; they
 * are part of an intact chain, not a break in it.
 */
export function verifyAuditLog(db: Db, now: () => string = () => new Date().toISOString()): VerifyResult {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>
  let count = 0
  let prev: AuditRow | null = null
  let firstBad: Problem | null = null
  for (const row of rows) {
    count++
    if (firstBad) continue
    firstBad = checkRow(row, prev)
    prev = row
  }
  const head = readChainHead(db)
  if (!firstBad) {
    if (head === null && prev !== null) {
      firstBad = {
        seq: prev.seq,
        problem: 'anchor_missing',
        message: `The chain head record is missing although the log has ${count} rows: it was deleted, or rows were written around the app.`,
      }
    } else if (head !== null && (prev === null || head.seq > prev.seq)) {
      const from = (prev?.seq ?? 0) + 1
      firstBad = {
        seq: from,
        problem: 'missing_tail',
        message: `Rows ${from}–${head.seq} are missing: the log ends at ${prev ? `row ${prev.seq}` : 'no row'} but the recorded chain head is row ${head.seq}.`,
      }
    } else if (head !== null && prev !== null && (head.seq !== prev.seq || head.hash !== prev.hash)) {
      firstBad = {
        seq: prev.seq,
        problem: 'anchor_mismatch',
        message: `The last row (${prev.seq}) is not the recorded chain head (row ${head.seq}, hash ${head.hash.slice(0, 12)}…): rows were added or replaced around the app.`,
      }
    }
  }
  const last = prev as AuditRow | null
  const open = openIntents(db)
  return {
    ok: firstBad === null,
    rows: count,
    headSeq: last?.seq ?? null,
    headHash: last?.hash ?? null,
    firstBad,
    unfinished: { count: open.unfinished.length, seqs: open.unfinished.slice(0, UNFINISHED_LISTED) },
    inFlight: open.inFlight.length,
    checkedAt: now(),
  }
}

function checkRow(row: AuditRow, prev: AuditRow | null): Problem | null {
  const expectedSeq = (prev?.seq ?? 0) + 1
  if (row.seq !== expectedSeq) {
    return {
      seq: expectedSeq,
      problem: 'broken_link',
      message:
        row.seq > expectedSeq
          ? `Row ${expectedSeq}${row.seq - 1 > expectedSeq ? `–${row.seq - 1}` : ''} is missing: the log jumps from row ${expectedSeq - 1} to row ${row.seq}.`
          : `Row ${row.seq} appears out of order after row ${expectedSeq - 1}.`,
    }
  }
  const expectedPrev = prev?.hash ?? GENESIS_HASH
  if (row.prev_hash !== expectedPrev) {
    return {
      seq: row.seq,
      problem: 'broken_link',
      message: `Row ${row.seq} does not link to ${prev ? `row ${prev.seq}` : 'the start of the log'}: a row was deleted, inserted or reordered, or row ${prev?.seq ?? row.seq} was rewritten.`,
    }
  }
  const { hash, ...rest } = row
  if (rowHash(rest) !== hash) {
    return {
      seq: row.seq,
      problem: 'edited',
      message: `Row ${row.seq} was altered: its contents no longer match its hash.`,
    }
  }
  return null
}
