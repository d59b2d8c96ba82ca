import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sourceWorkerScripts } from '../../../src/main/app/workers'
import { appendAuditSoon, appendAuditWriteAhead, onAuditAppend } from '../../../src/main/audit/log'
import { verifyAuditLog } from '../../../src/main/audit/verify'
import { openDatabase, type Db } from '../../../src/main/db/open'
import { executeBatch } from '../../../src/main/db/writer/batch'
import {
  attachWriterThread,
  checkpointElsewhere,
  closeWriter,
  startWriterThread,
  writerFor,
} from '../../../src/main/db/writer/thread'
import { allOf, statementCache, type Write } from '../../../src/main/db/writer/write-ops'

const insert = (v: string): Write => ({
  statements: [
    { sql: 'INSERT INTO t (v) VALUES (?)', params: [v] },
    { sql: 'INSERT INTO u (t_id, w) VALUES (?, ?)', params: [{ ref: 0 }, v + '!'] },
  ],
  mustChange: true,
})
const record = (outcome: string) => ({ kind: 'policy' as const, actor: 'test', outcome })

describe('the database writer', () => {
  let dir: string
  let path: string
  let db: Db

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardeval-writer-'))
    path = join(dir, 'w.db')
    db = openDatabase(path)
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE u (t_id INTEGER, w TEXT)')
  })
  afterEach(() => {
    closeWriter(db)
    if (db.open) db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('commits audit rows and writes in one transaction; a later statement can use an earlier rowid', () => {
    const outcome = executeBatch(
      db,
      { audit: [record('a'), record('b')], writes: [insert('x')], busyMs: 0 },
      statementCache(),
    )
    expect(outcome).toMatchObject({ ok: true, results: [1] })
    expect(outcome.ok && outcome.audit.map((r) => r.seq)).toEqual([1, 2])
    expect(db.prepare('SELECT t.v, u.w FROM t JOIN u ON u.t_id = t.id').all()).toEqual([{ v: 'x', w: 'x!' }])
    expect(verifyAuditLog(db).ok).toBe(true)
  })

  it('a write that changes no pending row rolls the whole batch back and is named', () => {
    const repeat: Write = {
      statements: [{ sql: 'UPDATE t SET v = v WHERE id = -1', params: [] }],
      mustChange: true,
    }
    const outcome = executeBatch(
      db,
      { audit: [record('a')], writes: [insert('x'), repeat], busyMs: 0 },
      statementCache(),
    )
    expect(outcome).toMatchObject({ ok: false, busy: false, repeat: 1 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 0 })
  })

  it('answers busy while another connection holds the write lock', () => {
    const other = openDatabase(path)
    other.exec('BEGIN IMMEDIATE')
    try {
      const outcome = executeBatch(db, { audit: [], writes: [insert('x')], busyMs: 10 }, statementCache())
      expect(outcome).toMatchObject({ ok: false, busy: true, code: 'SQLITE_BUSY' })
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
  })

  it('several writes as one keep each one’s references', () => {
    const both = allOf([insert('a'), insert('b')], false)
    executeBatch(db, { audit: [], writes: [both], busyMs: 0 }, statementCache())
    expect(db.prepare('SELECT t.v, u.w FROM t JOIN u ON u.t_id = t.id ORDER BY t.id').all()).toEqual([
      { v: 'a', w: 'a!' },
      { v: 'b', w: 'b!' },
    ])
  })

  it('an attached thread waits for the first heavy writer; until then rows commit on this connection', async () => {
    attachWriterThread(db, { script: sourceWorkerScripts().writer!, dbPath: path })
    expect(writerFor(db).sharesConnection).toBe(true)
    await appendAuditSoon(db, record('before'))
    startWriterThread(db)
    expect(writerFor(db).sharesConnection).toBe(false)
    expect((await appendAuditSoon(db, record('after'))).seq).toBe(2)
    expect(verifyAuditLog(db).ok).toBe(true)
  })

  it('the checkpoints of the main connection’s writes (an import) run in the writer thread', async () => {
    expect(checkpointElsewhere(db)).toBe(false) // no thread: the caller checkpoints
    attachWriterThread(db, { script: sourceWorkerScripts().writer!, dbPath: path })
    const before = statSync(path).size
    const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
    db.transaction(() => {
      for (let i = 0; i < 500; i++) ins.run('x'.repeat(400))
    })()
    expect(checkpointElsewhere(db)).toBe(true)
    expect(writerFor(db).sharesConnection).toBe(true) // audit rows still commit here
    const deadline = Date.now() + 20_000
    while (statSync(path).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
    expect(statSync(path).size).toBeGreaterThan(before + 100 * 1024)
  })

  describe('in a thread of its own', () => {
    beforeEach(() => {
      attachWriterThread(db, { script: sourceWorkerScripts().writer!, dbPath: path })
      startWriterThread(db)
    })

    it('commits on its own connection; this one sees the rows once the promise resolves', async () => {
      const seen: number[] = []
      onAuditAppend(db, (row) => seen.push(row.seq))
      const [intent, outcome] = await Promise.all([
        appendAuditWriteAhead(db, record('intent')),
        appendAuditSoon(db, record('ok')),
      ])
      expect([intent.seq, outcome.seq]).toEqual([1, 2])
      expect(seen).toEqual([1, 2])
      const res = await writerFor(db).commit({ audit: [], writes: [insert('x')], busyMs: 100 })
      expect(res).toMatchObject({ ok: true, results: [1] })
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 })
      expect(checkpointElsewhere(db)).toBe(true)
      expect(verifyAuditLog(db).ok).toBe(true)
    })

    it('closing waits for the batches it was sent', async () => {
      const writer = writerFor(db)
      await writer.commit({ audit: [], writes: [insert('warm')], busyMs: 100 }) // the thread is up
      const pending = Array.from({ length: 20 }, (_, i) =>
        writer.commit({ audit: [record(String(i))], writes: [insert(String(i))], busyMs: 100 }),
      )
      closeWriter(db)
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 21 })
      expect(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 20 })
      void pending
    })

    it('once its owner’s connection is closed, nothing more is written', async () => {
      await writerFor(db).commit({ audit: [], writes: [insert('warm')], busyMs: 100 })
      db.close()
      const res = await writerFor(db).commit({ audit: [], writes: [insert('late')], busyMs: 100 })
      expect(res).toMatchObject({ ok: false, message: 'The database connection is not open' })
    })
  })

  it('a thread that cannot start leaves the writes to this connection; nothing is acknowledged unwritten', async () => {
    attachWriterThread(db, { script: join(dir, 'missing.js'), dbPath: path })
    startWriterThread(db)
    const first = await writerFor(db).commit({ audit: [], writes: [insert('x')], busyMs: 100 })
    expect(first).toMatchObject({ ok: false, busy: false })
    expect(first.ok ? '' : first.message).toMatch(/writer thread stopped/)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 })
    const again = await writerFor(db).commit({ audit: [], writes: [insert('y')], busyMs: 100 })
    expect(again).toMatchObject({ ok: true })
    const row = await appendAuditSoon(db, record('after'))
    expect(row.seq).toBe(1)
  })
})
