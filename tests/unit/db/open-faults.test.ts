import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAppContext } from '../../../src/main/app/context'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { describeDatabaseError } from '../../../src/main/db/errors'
import { AppError } from '../../../src/main/errors'
import { closeDatabase, openDatabase, readOnlyReason, PAGE_SIZE } from '../../../src/main/db/open'
import { runCliCaptured } from '../../support/cli'
import { APP_SENDER, callThrough, routerFor } from '../../support/router'

/**
 * Opening a database never changes what it must not: a file that is not WardEval's, a newer
 * WardEval's database, a read-only file, a database damaged by an unclean shutdown. And closing
 * reports a failed final checkpoint in one line.
 */

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-open-'))
})
afterEach(() => {
  vi.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
})

const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex')
const ENV = { WARDEVAL_NO_SAMPLES: '1' }
const cli = (file: string, args: string[]) => runCliCaptured(['--db', file, ...args], { env: ENV })

/** A process id that certainly belonged to a process that is gone. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(r.stdout.toString())
}

function wardevalDb(file: string): void {
  const ctx = createAppContext({ dbPath: file, env: ENV })
  ctx.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, text TEXT)')
  const add = ctx.db.prepare('INSERT INTO filler (text) VALUES (?)')
  ctx.db.transaction(() => {
    for (let i = 0; i < 3000; i++) add.run(`row ${i} `.repeat(20))
  })()
  ctx.close()
}

describe('opening a database', () => {
  it('refuses a SQLite database that is not WardEval’s and leaves it byte for byte as it was', () => {
    const file = join(dir, 'other.db')
    const other = new Database(file)
    other.exec(
      "CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO patients (name) VALUES ('x')",
    )
    other.close()
    const before = sha(file)
    expect(() => openDatabase(file)).toThrow(/is a SQLite database but not a WardEval database/)
    expect(sha(file)).toBe(before)
    expect(existsSync(`${file}-wal`)).toBe(false)
    const check = new Database(file, { readonly: true })
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete')
    check.close()
  })

  it('accepts an empty file (a new database) and refuses a file that is not SQLite', async () => {
    const empty = join(dir, 'empty.db')
    writeFileSync(empty, '')
    const db = openDatabase(empty)
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE)
    closeDatabase(db)
    const text = join(dir, 'notes.db')
    writeFileSync(text, 'these are notes, not a database\n'.repeat(200))
    const before = sha(text)
    const r = await cli(text, ['db', 'info'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/is not a SQLite database/)
    expect(sha(text)).toBe(before)
  })

  it('never switches a newer WardEval’s database to WAL', () => {
    const file = join(dir, 'newer.db')
    const db = new Database(file)
    migrate(db, MIGRATIONS)
    db.prepare(
      "INSERT INTO _migrations (version, name, checksum, applied_at) VALUES (999, 'future', 'x', 'x')",
    ).run()
    db.pragma('journal_mode = DELETE')
    db.close()
    const before = sha(file)
    expect(() => openDatabase(file)).toThrow(/newer than this WardEval build knows/)
    expect(sha(file)).toBe(before)
    const check = new Database(file, { readonly: true })
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete')
    check.close()
  })
})

describe('a read-only database', () => {
  it('stays read-only: read commands work on it, write commands fail in one line, the mode is unchanged', async () => {
    const file = join(dir, 'ro.db')
    wardevalDb(file)
    chmodSync(file, 0o444)
    const before = sha(file)
    const info = await cli(file, ['--json', 'db', 'info'])
    expect(info.code, info.stderr).toBe(0)
    expect(info.stderr).toBe('')
    expect(JSON.parse(info.stdout)).toMatchObject({
      tables: expect.arrayContaining([{ table: 'filler', rows: 3000 }]),
    })
    expect((await cli(file, ['runs'])).code).toBe(0)
    const write = await cli(file, ['prices', 'set', 'ollama/m', '--input', '1', '--output', '2'])
    expect(write.code).toBe(1)
    expect(write.stderr.trim().split('\n')).toHaveLength(1)
    expect(write.stderr).toMatch(/read-only \(the file has no write permission\); this command changes it/)
    expect(write.stderr).not.toMatch(/\bat .*\.ts:\d+/)
    const run = await cli(file, ['run', '--benchmark', 'x', '--model', 'ollama/m'])
    expect(run.code).toBe(1)
    expect(run.stderr.trim().split('\n')).toHaveLength(1)
    expect(statSync(file).mode & 0o777).toBe(0o444)
    expect(sha(file)).toBe(before)
  })
})

describe('a read-only database in the app', () => {
  it('reads work through the router; a write is a conflict with the same one-line reason', async () => {
    const file = join(dir, 'ro-app.db')
    wardevalDb(file)
    chmodSync(file, 0o444)
    const ctx = createAppContext({ dbPath: file, env: ENV })
    try {
      const router = routerFor(ctx)
      await expect(callThrough(router, 'runs:list')).resolves.toEqual([])
      const r = await router.invoke(
        'leaderboard:price-set',
        { modelKey: 'ollama/m', inputPerMTok: 1, outputPerMTok: 2 },
        APP_SENDER,
      )
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'conflict',
          message: expect.stringMatching(/is read-only \(the file has no write permission\)/),
        },
      })
    } finally {
      ctx.close()
    }
    expect(statSync(file).mode & 0o777).toBe(0o444)
  })
})

describe('after an unclean shutdown', () => {
  function leaveDeadSession(file: string): void {
    const db = new Database(file)
    const pid = deadPid()
    db.prepare('INSERT INTO _sessions (owner, host, pid, opened_at) VALUES (?, ?, ?, ?)').run(
      `${hostname()}:${pid}`,
      hostname(),
      pid,
      new Date().toISOString(),
    )
    db.close()
  }

  it('a sound database is checked, then opened for writing as usual', () => {
    const file = join(dir, 'sound.db')
    wardevalDb(file)
    leaveDeadSession(file)
    const db = openDatabase(file)
    expect(readOnlyReason(db)).toBeNull()
    const owners = db.prepare('SELECT pid FROM _sessions').all() as { pid: number }[]
    expect(owners).toEqual([{ pid: process.pid }])
    closeDatabase(db)
  })

  it('a damaged database is refused for writing with a clear message, and still readable', async () => {
    const file = join(dir, 'damaged.db')
    wardevalDb(file)
    leaveDeadSession(file)
    // Scribble over a page in the middle of the filler table's B-tree.
    const size = statSync(file).size
    const page = Math.floor(size / PAGE_SIZE / 2)
    const fd = openSync(file, 'r+')
    writeSync(fd, Buffer.alloc(PAGE_SIZE, 0x5a), 0, PAGE_SIZE, page * PAGE_SIZE)
    closeSync(fd)
    const db = openDatabase(file)
    expect(readOnlyReason(db)).toMatch(/failed its integrity check after an unclean shutdown/)
    expect(() =>
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('k', '1', 'x')").run(),
    ).toThrow()
    db.close()
    const write = await cli(file, ['prices', 'set', 'ollama/m', '--input', '1', '--output', '2'])
    expect(write.code).toBe(1)
    expect(write.stderr.trim().split('\n')).toHaveLength(1)
    expect(write.stderr).toMatch(
      /failed its integrity check after an unclean shutdown .*restore it from a backup/,
    )
  })
})

describe('exit', () => {
  it('a failed final checkpoint (full disk) is one line, not a stack trace; the command’s result stands', async () => {
    const file = join(dir, 'full.db')
    wardevalDb(file)
    const pragma = Database.prototype.pragma
    vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (
      this: Database.Database,
      source: string,
      options?: Database.PragmaOptions,
    ) {
      if (source === 'wal_checkpoint(TRUNCATE)')
        throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
      return pragma.call(this, source, options)
    })
    const r = await cli(file, ['--json', 'db', 'info'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ path: file })
    expect(r.stderr).toMatch(
      /^warning: Could not finish writing the database on exit: The disk holding .* is full/,
    )
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('database errors as one line', () => {
  it('finds the SQLite error behind a wrapper (an audit row that could not be written)', () => {
    const sqlite = Object.assign(new Error('attempt to write a readonly database'), {
      code: 'SQLITE_READONLY',
    })
    const wrapped = new Error('Could not write the audit row for ollama, so nothing was sent', {
      cause: sqlite,
    })
    const described = describeDatabaseError(wrapped, '/data/w.db', 'the file has no write permission')
    expect(described).toBeInstanceOf(AppError)
    expect((described as AppError).message).toBe(
      'The database /data/w.db is read-only (the file has no write permission); this command changes it. Read commands still work.',
    )
    const other = new Error('not a database problem')
    expect(describeDatabaseError(other, '/data/w.db', null)).toBe(other)
    const full = describeDatabaseError(
      Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      '/d.db',
      null,
    )
    expect((full as AppError).message).toBe('The disk holding /d.db is full; free space and try again.')
  })
})
