import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sourceWorkerScripts } from '../../../src/main/app/workers'
import type { CheckpointMessage } from '../../../src/main/db/checkpoint-worker'
import { checkpointInBackground } from '../../../src/main/db/checkpoints'
import { openDatabase, type Db } from '../../../src/main/db/open'

const walBytes = (db: string) => statSync(`${db}-wal`).size
/** The database file itself grows only when a checkpoint copies pages back into it. */
const fileBytes = (db: string) => statSync(db).size

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

  it('a large WAL is copied back by the checkpoint thread; closing empties the WAL', async () => {
    const told: CheckpointMessage[] = []
    const stop = checkpointInBackground(db, {
      dbPath: path,
      script: sourceWorkerScripts().checkpoint,
      everyMs: 50,
      threadFromBytes: 64 * 1024,
      onThreadCheckpoint: (m) => told.push(m),
    })
    const before = fileBytes(path)
    write(400)
    expect(walBytes(path)).toBeGreaterThan(64 * 1024)
    const deadline = Date.now() + 20_000
    while (!told.some((m) => m.type === 'checkpoint' && m.copied > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50))
    const copied = told.find((m) => m.type === 'checkpoint' && m.copied > 0)
    expect(copied).toBeDefined()
    expect(fileBytes(path)).toBeGreaterThan(before + 100 * 1024)
    stop()
    expect(walBytes(path)).toBe(0)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 400 })
  })

  it('without a thread (it cannot start) the checkpoints run on this connection', async () => {
    const stop = checkpointInBackground(db, {
      dbPath: path,
      script: join(dir, 'missing-worker.js'),
      everyMs: 30,
      threadFromBytes: 16 * 1024,
    })
    const before = fileBytes(path)
    write(200) // past the threshold: the thread is tried, fails to start, and copying stays here
    const deadline = Date.now() + 10_000
    while (fileBytes(path) < before + 50 * 1024 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 30))
    expect(fileBytes(path)).toBeGreaterThan(before + 50 * 1024)
    stop()
    expect(walBytes(path)).toBe(0)
  })
})
