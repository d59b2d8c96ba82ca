import { AppError } from '../errors'

/** better-sqlite3's error code ('SQLITE_BUSY', 'SQLITE_READONLY_DBMOVED', …), or null. */
export function sqliteErrorCode(e: unknown): string | null {
  const code = (e as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : null
}

/** SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock this one needs. */
export function isBusyError(e: unknown): boolean {
  const code = sqliteErrorCode(e)
  return code !== null && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
}

/** The error, or one of its causes, is SQLITE_BUSY/LOCKED (e.g. the audit row before a request could not be written). */
export function causedByBusy(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c !== undefined && c !== null && depth < 8; depth++) {
    if (isBusyError(c)) return true
    c = (c as { cause?: unknown }).cause
  }
  return false
}

interface PragmaDb {
  pragma: (s: string, o?: { simple: boolean }) => unknown
  prepare?: (sql: string) => { run: () => unknown; pluck: () => { get: () => unknown } }
}

/** Per connection, the prepared busy_timeout statements (preparing a PRAGMA per write costs more than the write). */
const busyStatements = new WeakMap<object, Map<string, { run: () => unknown; get?: () => unknown }>>()

function busyStatement(db: PragmaDb, sql: string): { run: () => unknown; get?: () => unknown } | null {
  if (!db.prepare) return null
  let m = busyStatements.get(db)
  if (!m) busyStatements.set(db, (m = new Map()))
  let st = m.get(sql)
  if (!st) {
    const prepared = db.prepare(sql)
    st = sql.includes('=') ? prepared : { run: () => prepared.run(), get: () => prepared.pluck().get() }
    m.set(sql, st)
  }
  return st
}

function setBusyTimeout(db: PragmaDb, ms: number): void {
  const st = busyStatement(db, `PRAGMA busy_timeout = ${ms}`)
  if (st) st.run()
  else db.pragma(`busy_timeout = ${ms}`)
}

/** Runs fn with SQLite's own busy wait limited to `ms` on this connection (restored after). */
export function withBusyTimeout<T>(db: PragmaDb, ms: number, fn: () => T): T {
  const read = busyStatement(db, 'PRAGMA busy_timeout')
  const previous = (read ? read.get!() : db.pragma('busy_timeout', { simple: true })) as number
  setBusyTimeout(db, ms)
  try {
    return fn()
  } finally {
    setBusyTimeout(db, previous)
  }
}

/**
 * A database failure as one line a user can act on (an AppError), or the error unchanged when it
 * is not SQLite's. `readOnly` is why the connection was opened read-only, if it was.
 */
export function describeDatabaseError(thrown: unknown, dbPath: string, readOnly: string | null): unknown {
  if (thrown instanceof AppError) return thrown
  // The SQLite error itself, or the cause of a wrapper (e.g. the audit row that could not be written).
  let e: unknown = thrown
  for (let depth = 0; e && sqliteErrorCode(e) === null && depth < 8; depth++)
    e = (e as { cause?: unknown }).cause
  const code = sqliteErrorCode(e)
  if (code === null) return thrown
  const detail = e instanceof Error ? e.message : String(e)
  if (code.startsWith('SQLITE_READONLY'))
    return new AppError(
      'conflict',
      `The database ${dbPath} is read-only${readOnly ? ` (${readOnly})` : ''}; this command changes it. Read commands still work.`,
    )
  if (code.startsWith('SQLITE_FULL'))
    return new AppError('unavailable', `The disk holding ${dbPath} is full; free space and try again.`)
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return new AppError(
      'unavailable',
      `The database ${dbPath} is busy: another WardEval process holds its write lock. Try again when it has finished.`,
    )
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
    return new AppError(
      'bad_data',
      `The database ${dbPath} is damaged (${detail}); restore it from a backup.`,
    )
  return new AppError('internal', `Database ${dbPath}: ${detail} (${code})`)
}
