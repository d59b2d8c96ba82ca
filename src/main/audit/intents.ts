import type { Db } from '../db/open'
import { COMPLETES_KEY, INTENT_OUTCOME } from './log'

/**
 * Write-ahead audit rows. Before a request's first byte leaves the machine the egress guard commits
 * an intent row (kind 'request', outcome 'intent'); when the exchange ends it appends the outcome
 * row, whose purpose_json names the intent's seq under COMPLETES_KEY. An intent with no outcome row
 * is unfinished: the process stopped (killed, crashed, power lost) while the request was on the
 * wire — or, in the process that sent it, the request is still in flight.
 */

/** SQL: the seq each outcome row completes (NULL for every other row). */
export const COMPLETES_SQL = `json_extract(purpose_json, '$.${COMPLETES_KEY}')`

/** SQL: seqs of the intent rows that no outcome row completes, oldest first. */
export const OPEN_INTENTS_SQL = `SELECT seq FROM audit_log
  WHERE kind = 'request' AND outcome = '${INTENT_OUTCOME}'
    AND seq NOT IN (
      SELECT ${COMPLETES_SQL} FROM audit_log
      WHERE kind = 'request' AND outcome <> '${INTENT_OUTCOME}' AND ${COMPLETES_SQL} IS NOT NULL)
  ORDER BY seq`

const inFlight = new WeakMap<Db, Set<number>>()

/** The guard marks an intent as in flight in this process from its commit until its outcome commits. */
export function markInFlight(db: Db, seq: number): void {
  let set = inFlight.get(db)
  if (!set) inFlight.set(db, (set = new Set()))
  set.add(seq)
}

export function clearInFlight(db: Db, seq: number): void {
  inFlight.get(db)?.delete(seq)
}

export function isInFlight(db: Db, seq: number): boolean {
  return inFlight.get(db)?.has(seq) ?? false
}

export interface OpenIntents {
  /** Intents with no outcome row whose request is not in flight in this process. */
  unfinished: number[]
  /** Intents of requests this process is sending right now (their outcome row is still to come). */
  inFlight: number[]
}

/** Every intent row without an outcome row, split into unfinished and (this process's) in flight. */
export function openIntents(db: Db): OpenIntents {
  const seqs = db.prepare(OPEN_INTENTS_SQL).pluck().all() as number[]
  const out: OpenIntents = { unfinished: [], inFlight: [] }
  for (const s of seqs) (isInFlight(db, s) ? out.inFlight : out.unfinished).push(s)
  return out
}

/** The intent seq an outcome row completes, read from its purpose_json (null for other rows). */
export function completesSeqOf(purpose: Record<string, unknown>): number | null {
  const v = purpose[COMPLETES_KEY]
  return typeof v === 'number' && Number.isInteger(v) ? v : null
}
