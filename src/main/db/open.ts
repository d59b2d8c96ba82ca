import { accessSync, chmodSync, constants, existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { preferImmediateTransactions } from './transactions'
import { AppError } from '../errors'
import { sqliteErrorCode } from './errors'
import { checkSchemaHistory, migrate, schemaVersion } from './migrate'
import { LATEST_SCHEMA_VERSION } from './migrations'
import { beginSession, endSession, uncleanShutdownProblem } from './sessions'

export type Db = Database.Database

/**
 * The page size of a new database (an existing one keeps its own). WAL commits write every page
 * they touch in full, and the hot writers commit small batches (a run's results with their audit
 * rows, several times per millisecond): with 16 KiB pages a 5,000-item run wrote ~500 MB of WAL
 * (~100 KB per item, most of it index pages holding random hashes); 4 KiB pages cut that by 4×
 * while the bulk import measured no loss (bench/cli-import.ts).
 */
export const PAGE_SIZE = 4096

/** Bytes the WAL file keeps after a restart (journal_size_limit). */
export const WAL_SIZE_LIMIT = 64 * 1024 * 1024

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean
  /** Path of a better-sqlite3 addon built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
  /** Open read-only even when the file could be written. */
  readOnly?: boolean
}

const readOnlyReasons = new WeakMap<Db, string>()

/** Why this connection was opened read-only (null: it may write). */
export function readOnlyReason(db: Db): string | null {
  return readOnlyReasons.get(db) ?? null
}

/**
 * Opens (creating if needed) the WardEval database: WAL journal, foreign keys on, a busy timeout,
 * owner-only permissions on the file and its folder, and the schema brought up to date.
 * `:memory:` opens a private in-memory database (tests).
 *
 * What it refuses or opens read-only, so that nothing is changed that should not be:
 * - a file that is not SQLite, or a SQLite database that is not WardEval's (unless empty);
 * - a database written by a newer WardEval (before its journal mode is touched);
 * - a file without write permission (or `readOnly`): opened read-only, permissions untouched;
 * - a database that fails `quick_check` after an unclean shutdown: opened read-only.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file === ':memory:') return openWritable(file, true, options)
  const dir = dirname(file)
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  const present = existsSync(file)
  const why = options.readOnly ? 'opened read-only' : present ? unwritable(file) : null
  if (why) return openReadOnly(file, why, options)
  const empty = !present || statSync(file).size === 0
  if (!empty) {
    const problem = inspect(file, options)
    if (problem !== null) return openReadOnly(file, problem, options)
  }
  return openWritable(file, empty, options)
}

/**
 * Looks at an existing file through a read-only connection before anything can be written:
 * refuses what is not WardEval's or is newer, and after an unclean shutdown runs quick_check.
 * Returns why it must not be written (it is damaged), or null.
 */
function inspect(file: string, options: OpenOptions): string | null {
  const db = connect(file, options, true)
  try {
    acceptable(db, file)
    const problem = uncleanShutdownProblem(db)
    return problem === null
      ? null
      : `it failed its integrity check after an unclean shutdown (${problem}); restore it from a backup`
  } catch (e) {
    throw translateOpenError(e, file)
  } finally {
    db.close()
  }
}

function openWritable(file: string, created: boolean, options: OpenOptions): Db {
  const inMemory = file === ':memory:'
  const db = connect(file, options, false)
  try {
    db.pragma('foreign_keys = ON')
    // Before anything is written: a newer build's database is refused as it is (journal included).
    acceptable(db, file)
    // PAGE_SIZE for a new database (fixed once the first table exists); why 4 KiB: see PAGE_SIZE.
    if (created) db.pragma(`page_size = ${PAGE_SIZE}`)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    // The WAL file is reused after each restart, not shrunk; it grows past this only while a
    // checkpoint cannot complete (during a bulk import whose checkpoint helper races the writer,
    // ./checkpoint-helper.ts), and the first restart after that truncates it back to this size.
    db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`)
    // An 8 MiB page cache (better-sqlite3 builds SQLite with 16 MiB): a run streams through the
    // database once, and the larger cache only kept pages it would not read again — a 100,000-item
    // run's memory grew by the difference (bench/run-throughput.ts --rss). The OS caches the file.
    db.pragma('cache_size = -8000')
    preferImmediateTransactions(db)
    if (options.migrate !== false) migrate(db)
    if (!inMemory) {
      beginSession(db)
      restrictPermissions(file)
    }
  } catch (e) {
    db.close()
    throw translateOpenError(e, file)
  }
  return db
}

function openReadOnly(file: string, why: string, options: OpenOptions): Db {
  const db = connect(file, options, true)
  try {
    acceptable(db, file)
    const version = schemaVersion(db)
    if (version < LATEST_SCHEMA_VERSION && options.migrate !== false)
      throw new AppError(
        'conflict',
        `Database ${file} is at schema version ${version} and needs upgrading to ${LATEST_SCHEMA_VERSION}, but it cannot be written: ${why}.`,
      )
  } catch (e) {
    db.close()
    throw translateOpenError(e, file)
  }
  readOnlyReasons.set(db, why)
  return db
}

function connect(file: string, options: OpenOptions, readonly: boolean): Db {
  try {
    return new Database(file, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(readonly ? { readonly: true, fileMustExist: true } : {}),
    })
  } catch (e) {
    throw translateOpenError(e, file)
  }
}

/** Why an existing file cannot be written (no write permission for anyone, or access denied), or null. */
function unwritable(file: string): string | null {
  if (process.platform !== 'win32' && (statSync(file).mode & 0o222) === 0)
    return 'the file has no write permission'
  try {
    accessSync(file, constants.W_OK)
    accessSync(dirname(file), constants.W_OK)
    return null
  } catch {
    return 'this user may not write the file or its folder'
  }
}

/** A busy timeout, then the refusals that come before anything is written. */
function acceptable(db: Db, file: string): void {
  db.pragma('busy_timeout = 5000')
  identify(db, file)
  checkSchemaHistory(db)
}

/** Refuses a SQLite database that holds tables but no WardEval schema history. */
function identify(db: Db, file: string): void {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
    .all() as { name: string }[]
  if (tables.length > 0 && !tables.some((t) => t.name === '_migrations'))
    throw new AppError(
      'conflict',
      `${file} is a SQLite database but not a WardEval database (it has ${tables.length} table(s) and no WardEval schema history); WardEval leaves it untouched. Choose another file.`,
    )
}

function translateOpenError(e: unknown, file: string): unknown {
  const code = sqliteErrorCode(e)
  if (code === 'SQLITE_NOTADB')
    return new AppError('conflict', `${file} is not a SQLite database; WardEval leaves it untouched.`)
  if (code?.startsWith('SQLITE_CORRUPT'))
    return new AppError('bad_data', `${file} is damaged (${(e as Error).message}); restore it from a backup.`)
  if (code?.startsWith('SQLITE_CANTOPEN'))
    return new AppError('unavailable', `Could not open the database ${file}: ${(e as Error).message}`)
  return e
}

/** Removes group/other permissions on the database and its WAL/SHM companions (no-op on Windows ACLs). */
export function restrictPermissions(file: string): void {
  if (process.platform === 'win32') return
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(f)) continue
    const mode = statSync(f).mode & 0o777
    if ((mode & 0o077) !== 0) chmodSync(f, mode & 0o700)
  }
}

/** Closes a connection, ending its session (a clean shutdown). */
export function closeDatabase(db: Db): void {
  try {
    endSession(db)
  } finally {
    db.close()
  }
}
