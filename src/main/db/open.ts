import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { migrate } from './migrate'
import { preferImmediateTransactions } from './transactions'

export type Db = Database.Database

export const PAGE_SIZE = 16384

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean
  /** Path of a better-sqlite3 addon built for this runtime (Electron's ABI differs from Node's). */
  nativeBinding?: string
}

/**
 * Opens (creating if needed) the WardEval database: WAL journal, foreign keys on, a busy timeout,
 * owner-only permissions on the file and its folder, and the schema brought up to date.
 * `:memory:` opens a private in-memory database (tests).
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const inMemory = file === ':memory:'
  const created = inMemory || !existsSync(file)
  if (!inMemory) {
    const dir = dirname(file)
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  }
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    // 16 KiB pages for a new database (the page size is fixed once the first table exists): rows
    // here are long texts — instances, prompts, responses — and bulk imports write about a third
    // less with them than with the default 4 KiB (bench/import-generic.ts).
    if (created) db.pragma(`page_size = ${PAGE_SIZE}`)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
    preferImmediateTransactions(db)
    if (options.migrate !== false) migrate(db)
    if (!inMemory) restrictPermissions(file)
  } catch (e) {
    db.close()
    throw e
  }
  return db
}

/** Owner-only read/write on the database and its WAL/SHM companions (no-op on Windows ACLs). */
export function restrictPermissions(file: string): void {
  if (process.platform === 'win32') return
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, 0o600)
  }
}
