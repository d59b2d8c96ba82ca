import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReadOnlySqlRunner } from '../../../src/main/scoring/readonly-sql'

/**
 * Model-written SQL that never ends or asks for gigabytes: each case ends within its limit, the
 * query process is gone afterwards (so its lock and memory are too), and this process's memory
 * does not grow with the query.
 */

let dir: string
let dbFile: string
let walDir: string
let walFile: string

const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c'
const BILLION =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT count(*) FROM c'

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function makeDb(file: string, journal: 'DELETE' | 'WAL'): void {
  const db = new Database(file)
  db.pragma(`journal_mode = ${journal}`)
  db.exec('CREATE TABLE lab (id INTEGER PRIMARY KEY, name TEXT, value REAL)')
  const ins = db.prepare('INSERT INTO lab (name, value) VALUES (?, ?)')
  for (let i = 0; i < 50; i++) ins.run(`glucose ${i}`, 90 + i)
  db.close()
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-runaway-'))
  dbFile = join(dir, 'eicu.sqlite')
  makeDb(dbFile, 'DELETE')
  walDir = mkdtempSync(join(tmpdir(), 'wardeval-runaway-wal-'))
  walFile = join(walDir, 'eicu.sqlite')
  makeDb(walFile, 'WAL')
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(walDir, { recursive: true, force: true })
})

async function stoppedWithin(sql: string, limitMs: number, runner: ReadOnlySqlRunner) {
  const started = Date.now()
  const pending = runner.run(sql, limitMs)
  // Let the query start, then note the process running it.
  await new Promise((r) => setTimeout(r, 150))
  const pid = runner.pid
  const r = await pending
  const elapsed = Date.now() - started
  return { r, elapsed, pid }
}

describe('runaway model SQL ends within its limit and leaves nothing running', () => {
  it('an endless recursive CTE is killed at the time limit; its lock is released at once', async () => {
    const runner = new ReadOnlySqlRunner(dbFile)
    try {
      const { r, elapsed, pid } = await stoppedWithin(ENDLESS, 600, runner)
      expect(r).toMatchObject({ ok: false, kind: 'timeout' })
      expect(elapsed).toBeLessThan(3_000)
      expect(pid).toBeTypeOf('number')
      expect(alive(pid!)).toBe(false)
      // A writer gets an exclusive lock immediately: no reader is left inside SQLite.
      const writer = new Database(dbFile, { timeout: 0 })
      expect(() => writer.exec('BEGIN EXCLUSIVE; COMMIT')).not.toThrow()
      writer.close()
      // The next query runs in a fresh process.
      expect(await runner.run('SELECT count(*) FROM lab')).toEqual({ ok: true, rows: [[50n]] })
    } finally {
      await runner.close()
    }
  })

  it('a 10^9-row count is stopped at the limit', async () => {
    const runner = new ReadOnlySqlRunner(dbFile)
    try {
      const { r, elapsed, pid } = await stoppedWithin(BILLION, 700, runner)
      expect(r).toMatchObject({ ok: false, kind: 'timeout' })
      expect(elapsed).toBeLessThan(3_000)
      expect(alive(pid!)).toBe(false)
    } finally {
      await runner.close()
    }
  })

  it('large zeroblobs fail alone (memory or byte cap) while this process stays small', async () => {
    const runner = new ReadOnlySqlRunner(dbFile, { memoryLimitMb: 256, maxBytes: 8 * 1024 * 1024 })
    const before = process.memoryUsage().rss
    try {
      const huge = await runner.run('SELECT zeroblob(2000000000)', 10_000)
      expect(huge).toMatchObject({ ok: false })
      expect(['out_of_memory', 'error']).toContain(!huge.ok && huge.kind)
      const many = await runner.run(
        'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000) SELECT zeroblob(4000000) FROM c',
        10_000,
      )
      expect(many).toMatchObject({ ok: false })
      expect(['too_large', 'out_of_memory']).toContain(!many.ok && many.kind)
      const text = await runner.run("SELECT printf('%.*c', 1500000000, 'x')", 10_000)
      expect(text).toMatchObject({ ok: false })
      expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024)
      // The runner still answers afterwards.
      expect(await runner.run('SELECT name FROM lab WHERE id = 1')).toEqual({
        ok: true,
        rows: [['glucose 0']],
      })
    } finally {
      await runner.close()
    }
  })

  it('results are capped in bytes as well as rows', async () => {
    const runner = new ReadOnlySqlRunner(dbFile, { maxBytes: 1000 })
    try {
      expect(await runner.run("SELECT printf('%.*c', 5000, 'x')")).toMatchObject({
        ok: false,
        kind: 'too_large',
      })
      expect(await runner.run('SELECT id FROM lab LIMIT 3')).toMatchObject({ ok: true })
    } finally {
      await runner.close()
    }
  })

  it('a command that hit the time limit exits by itself', async () => {
    const tsx = join(__dirname, '../../../node_modules/.bin/tsx')
    const child = spawn(tsx, [join(__dirname, 'runaway-sql-script.ts'), dbFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | string>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL')
        resolve('did not exit')
      }, 20_000)
      child.on('exit', (c) => {
        clearTimeout(t)
        resolve(c ?? -1)
      })
    })
    expect(code).toBe(0)
    expect(JSON.parse(out)).toEqual({ ok: false, kind: 'timeout' })
  }, 30_000)
})

describe('the user database gets no -wal or -shm beside it', () => {
  it('a rollback-journal database is read in place, untouched', async () => {
    const runner = new ReadOnlySqlRunner(dbFile)
    try {
      expect(await runner.run('SELECT count(*) FROM lab')).toEqual({ ok: true, rows: [[50n]] })
      expect(readdirSync(dir).sort()).toEqual(['eicu.sqlite'])
    } finally {
      await runner.close()
    }
  })

  it('a WAL-mode database is read from a private copy; nothing appears beside it', async () => {
    const runner = new ReadOnlySqlRunner(walFile)
    try {
      expect(await runner.run('SELECT count(*) FROM lab')).toEqual({ ok: true, rows: [[50n]] })
      expect(readdirSync(walDir)).toEqual(['eicu.sqlite'])
    } finally {
      await runner.close()
    }
    expect(readdirSync(walDir)).toEqual(['eicu.sqlite'])
  })
})
