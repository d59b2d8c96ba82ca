import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { processGone } from '../app/process'

/**
 * Who holds the database's write lock for a long time. Before an operation that may keep the
 * write lock for more than a moment (an import's final transaction, a migration), the process
 * writes a note beside the database — `<db>-writer.json`: host, pid, operation, start — and
 * removes it afterwards. A run that finds the database busy waits, and says who it waits for.
 * A note whose process is gone is ignored. (A file rather than a row: a row written inside the
 * long transaction would be invisible until it commits.)
 */

export interface LockNote {
  host: string
  pid: number
  operation: string
  startedAt: string
}

export function lockNotePath(dbPath: string): string {
  return `${dbPath}-writer.json`
}

/** Writes the note; returns the function that removes it (only if it is still this process's). */
export function writeLockNote(dbPath: string, operation: string): () => void {
  if (dbPath === ':memory:' || dbPath === '') return () => undefined
  const note: LockNote = {
    host: hostname(),
    pid: process.pid,
    operation,
    startedAt: new Date().toISOString(),
  }
  const file = lockNotePath(dbPath)
  writeFileSync(file, JSON.stringify(note), { mode: 0o600 })
  return () => {
    const current = readLockNote(dbPath)
    if (current && current.pid === note.pid && current.startedAt === note.startedAt)
      rmSync(file, { force: true })
  }
}

/** The note of a live process holding the lock, or null. */
export function readLockNote(dbPath: string): LockNote | null {
  let note: LockNote
  try {
    note = JSON.parse(readFileSync(lockNotePath(dbPath), 'utf8')) as LockNote
  } catch {
    return null // no note (or one being written): nothing to say
  }
  if (typeof note.pid !== 'number' || typeof note.operation !== 'string') return null
  return processGone(String(note.host), note.pid) ? null : note
}

/** 'an import of x.csv (pid 4242, since 10:31:07 UTC) holds the database' — for progress lines. */
export function lockHolderText(dbPath: string): string {
  const note = readLockNote(dbPath)
  if (!note) return 'another process holds the database’s write lock'
  const since = note.startedAt.slice(11, 19)
  return `${note.operation} (pid ${note.pid}, since ${since} UTC) holds the database’s write lock`
}
