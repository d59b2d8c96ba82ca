import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assistCheckpoints, checkpointInBackground } from '../../../src/main/db/checkpoints'
import { WAL_SIZE_LIMIT, openDatabase, type Db } from '../../../src/main/db/open'

/** The database file itself grows only when a checkpoint copies pages back into it. */
const fileBytes = (db: string) => statSync(db).size
const walBytes = (db: string) => statSync(`${db}-wal`).size

describe('background WAL checkpoints', () => {
  let dir: string
  let path: string
  let db: Db

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardeval-ckpt-'))
    path = join(dir, 'c.db')
    db = openDatabase(path)
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
  })
  afterEach(() => {
    if (db.open) db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('a timer copies the WAL back between commits (not inside one); closing empties it', async () => {
    const stop = checkpointInBackground(db, 30)
    const before = fileBytes(path)
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
    for (let i = 0; i < 200; i++) db.transaction(() => ins.run('x'.repeat(500)))()
    expect(fileBytes(path)).toBe(before) // no commit checkpointed
    const deadline = Date.now() + 10_000
    while (fileBytes(path) <= before + 50 * 1024 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20))
    expect(fileBytes(path)).toBeGreaterThan(before + 50 * 1024)
    stop()
    expect(walBytes(path)).toBe(0)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 200 })
  })
})

describe('the WAL file after a bulk write', () => {
  it('grows while no checkpoint completes, and is cut back to WAL_SIZE_LIMIT at the next restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardeval-wal-limit-'))
    const path = join(dir, 'w.db')
    const db = openDatabase(path)
    try {
      db.pragma('wal_autocheckpoint = 0')
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
      const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
      const chunk = 'x'.repeat(64 * 1024)
      // ~80 MB of commits with no checkpoint: the WAL holds all of them.
      for (let i = 0; i < 20; i++)
        db.transaction(() => {
          for (let j = 0; j < 64; j++) ins.run(chunk)
        })()
      expect(walBytes(path)).toBeGreaterThan(WAL_SIZE_LIMIT)
      expect(db.pragma('wal_checkpoint(PASSIVE)')).toEqual([
        { busy: 0, log: expect.any(Number), checkpointed: expect.any(Number) },
      ])
      ins.run('after') // the next write restarts the WAL from its beginning
      expect(walBytes(path)).toBeLessThanOrEqual(WAL_SIZE_LIMIT)
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 20 * 64 + 1 })
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('the timer while a checkpoint helper copies', () => {
  it('skips its ticks while the file is assisted, and checkpoints again once released', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardeval-ckpt-assist-'))
    const path = join(dir, 'a.db')
    const db = openDatabase(path)
    try {
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
      const release = assistCheckpoints(path)
      const stop = checkpointInBackground(db, 20)
      const before = fileBytes(path)
      const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
      for (let i = 0; i < 200; i++) db.transaction(() => ins.run('x'.repeat(500)))()
      await new Promise((r) => setTimeout(r, 200)) // ten ticks
      expect(fileBytes(path)).toBe(before)
      release()
      release() // a second call changes nothing
      const deadline = Date.now() + 10_000
      while (fileBytes(path) <= before + 50 * 1024 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20))
      expect(fileBytes(path)).toBeGreaterThan(before + 50 * 1024)
      stop()
    } finally {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
