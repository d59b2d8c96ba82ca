import { appendRecords, type AuditRecord } from '../../audit/log'
import type { AuditRow } from '../../audit/chain'
import { sqliteErrorCode, withBusyTimeout } from '../errors'
import type { Db } from '../open'
import { runWrite, type StatementCache, type Write } from './write-ops'

/**
 * One commit of the hot writers: the audit rows queued so far (requests about to leave, their
 * outcomes) and the dispatcher's results, in one IMMEDIATE transaction — all of it or nothing.
 */
export interface WriteBatch {
  audit: AuditRecord[]
  writes: Write[]
  /** How long to wait inside SQLite for another connection's write lock before answering busy. */
  busyMs: number
}

export type BatchOutcome =
  | { ok: true; audit: AuditRow[]; results: number[] }
  | {
      ok: false
      /** Another connection held the write lock for longer than busyMs. */
      busy: boolean
      message: string
      code: string | null
      /** The write (index) that changed no pending row: a repeat of a completed item. */
      repeat: number | null
    }

class Repeat extends Error {
  constructor(readonly index: number) {
    super(`write ${index} changed no pending row`)
  }
}

/** Runs a batch on `db`; never throws (the outcome says what failed, and nothing was committed). */
export function executeBatch(db: Db, batch: WriteBatch, cache: StatementCache): BatchOutcome {
  try {
    return withBusyTimeout(db, batch.busyMs, () =>
      db
        .transaction(() => {
          const audit = batch.audit.length > 0 ? appendRecords(db, batch.audit) : []
          const results = batch.writes.map((w, i) => {
            const changed = runWrite(db, w, cache)
            if (w.mustChange && changed !== 1) throw new Repeat(i)
            return changed
          })
          return { ok: true as const, audit, results }
        })
        .immediate(),
    )
  } catch (e) {
    const code = sqliteErrorCode(e)
    return {
      ok: false,
      busy: code !== null && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')),
      message: (e as Error).message,
      code,
      repeat: e instanceof Repeat ? e.index : null,
    }
  }
}

/** The failure of an outcome as an Error carrying SQLite's code (so isBusyError and describeDatabaseError read it). */
export function outcomeError(o: Extract<BatchOutcome, { ok: false }>): Error {
  return Object.assign(new Error(o.message), o.code ? { code: o.code } : {})
}
