import { hostname } from 'node:os'
import type Database from 'better-sqlite3'
import { processGone } from '../app/process'
import { isBusyError, withBusyTimeout } from './errors'

/**
 * Who has the database open for writing (`_sessions`, migration 0010). A process records itself
 * ('<host>:<pid>') when it opens the database and removes its row when its main connection
 * closes cleanly (`closeDatabase`; extra connections, such as an import's, just close); a row whose process is
 * gone is the mark of an unclean shutdown (killed, crashed, power cut), after which the next open
 * runs `PRAGMA quick_check` before it writes anything.
 */

type Conn = Database.Database

const owners = new WeakMap<Conn, string>()

function hasSessions(db: Conn): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sessions'").get() !== undefined
  )
}

/** Rows left by processes of this machine that are gone. */
function deadSessions(db: Conn): string[] {
  if (!hasSessions(db)) return []
  const rows = db.prepare('SELECT owner, host, pid FROM _sessions').all() as {
    owner: string
    host: string
    pid: number
  }[]
  return rows.filter((r) => processGone(r.host, r.pid)).map((r) => r.owner)
}

/** The first problems `PRAGMA quick_check` reports ([] when the database is sound). */
export function quickCheck(db: Conn): string[] {
  try {
    const rows = db.pragma('quick_check(5)') as { quick_check: string }[]
    return rows
      .map((r) => r.quick_check)
      .filter((m) => m !== 'ok')
      .map((m) =>
        m
          .replace(/\*\*\* in database \w+ \*\*\*/g, '')
          .replace(/\s+/g, ' ')
          .trim(),
      )
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)]
  }
}

/**
 * After an unclean shutdown (a session row left by a process that is gone), checks the database
 * without writing to it. Returns the first problem found, or null: sound, or shut down cleanly.
 */
export function uncleanShutdownProblem(db: Conn): string | null {
  if (deadSessions(db).length === 0) return null
  const problems = quickCheck(db)
  return problems.length > 0 ? problems[0]!.slice(0, 300) : null
}

/**
 * Records this connection's session (after the migrations, which create the table), clearing the
 * rows of processes that are gone (the database was checked before it was opened for writing).
 */
export function beginSession(db: Conn): void {
  if (!hasSessions(db)) return
  const dead = deadSessions(db)
  const owner = `${hostname()}:${process.pid}`
  const remove = db.prepare('DELETE FROM _sessions WHERE owner = ?')
  const insert = db.prepare(
    'INSERT OR REPLACE INTO _sessions (owner, host, pid, opened_at) VALUES (?, ?, ?, ?)',
  )
  try {
    db.transaction(() => {
      for (const o of dead) remove.run(o)
      insert.run(owner, hostname(), process.pid, new Date().toISOString())
    })()
  } catch (e) {
    // Another process holds the write lock (a long import): open anyway, unrecorded — the note is
    // a safety check for later opens, not worth failing this one.
    if (isBusyError(e)) return
    throw e
  }
  owners.set(db, owner)
}

/** Removes this connection's session row: the database was closed cleanly. */
export function endSession(db: Conn): void {
  const owner = owners.get(db)
  if (owner === undefined || !db.open) return
  owners.delete(db)
  try {
    withBusyTimeout(db, 200, () => db.prepare('DELETE FROM _sessions WHERE owner = ?').run(owner))
  } catch (e) {
    // Another process holds the write lock (a long import): the row stays, and the next open
    // checks the database once more — no reason to keep this process waiting at exit.
    if (!isBusyError(e)) throw e
  }
}
