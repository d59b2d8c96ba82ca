import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkpointInBackground } from '../../../src/main/db/checkpoints'
import { openDatabase, type Db } from '../../../src/main/db/open'

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

  const write = (rows: number) => {
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
    for (let i = 0; i < rows; i++) db.transaction(() => ins.run('x'.repeat(500)))()
  }
  const waitFor = async (ok: () => boolean, ms: number) => {
    const deadline = Date.now() + ms
    while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  }

  it('a timer copies the WAL back; closing empties it', async () => {
    const stop = checkpointInBackground(db, { everyMs: 30 })
    const before = fileBytes(path)
    write(200)
    await waitFor(() => fileBytes(path) > before + 50 * 1024, 10_000)
    expect(fileBytes(path)).toBeGreaterThan(before + 50 * 1024)
    stop()
    expect(walBytes(path)).toBe(0)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 200 })
  })

  it('leaves the WAL alone while another connection checkpoints (the writer thread, busy)', async () => {
    let elsewhere = true
    const stop = checkpointInBackground(db, { everyMs: 20, elsewhere: () => elsewhere })
    const before = fileBytes(path)
    write(200)
    await new Promise((r) => setTimeout(r, 150))
    expect(fileBytes(path)).toBe(before)
    elsewhere = false
    await waitFor(() => fileBytes(path) > before, 10_000)
    expect(fileBytes(path)).toBeGreaterThan(before)
    stop()
  })
})
