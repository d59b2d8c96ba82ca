import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { migrate, migrationChecksum, schemaVersion } from '../../../src/main/db/migrate'
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../../src/main/db/migrations'
import { PAGE_SIZE, openDatabase } from '../../../src/main/db/open'
import { AppError } from '../../../src/main/errors'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-db-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name").all() as { name: string }[]
  ).map((r) => r.name)

describe('openDatabase', () => {
  it('creates the file with WAL, foreign keys, a busy timeout and owner-only permissions', () => {
    const file = join(dir, 'sub', 'w.db')
    const db = openDatabase(file)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION)
    db.close()
    if (process.platform !== 'win32') {
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700)
    }
  })

  it('creates a new database with 4 KiB pages and leaves an existing one’s page size alone', () => {
    const file = join(dir, 'new.db')
    const db = openDatabase(file)
    expect(db.pragma('page_size', { simple: true })).toBe(PAGE_SIZE)
    db.close()
    const oldFile = join(dir, 'old.db')
    const old = new Database(oldFile)
    old.pragma('page_size = 16384')
    migrate(old, MIGRATIONS.slice(0, 1))
    old.close()
    const reopened = openDatabase(oldFile)
    expect(reopened.pragma('page_size', { simple: true })).toBe(16384)
    expect(tables(reopened)).toContain('review_sets')
    reopened.close()
  })

  it('reopening applies nothing twice', () => {
    const file = join(dir, 'w.db')
    openDatabase(file).close()
    const db = openDatabase(file)
    expect((db.prepare('SELECT COUNT(*) AS n FROM _migrations').get() as { n: number }).n).toBe(
      MIGRATIONS.length,
    )
    db.close()
  })
})

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('0001 creates every table later features need, with constraints that refuse bad rows', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, MIGRATIONS.slice(0, 1))
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'settings',
        'benchmarks',
        'benchmark_versions',
        'instances',
        'endpoints',
        'egress_approvals',
        'models',
        'runs',
        'run_models',
        'run_benchmarks',
        'run_items',
        'requests',
        'responses',
        'response_cache',
        'scores',
        'jury_votes',
        'reviewers',
        'ratings',
        'audit_log',
      ]),
    )
    const now = new Date().toISOString()
    // A benchmark with an unknown task type is refused.
    expect(() =>
      db
        .prepare(
          "INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('x','X','essay','public',?)",
        )
        .run(now),
    ).toThrow(/CHECK constraint failed/)
    // An instance pointing at a missing benchmark version is refused (foreign keys are on).
    expect(() =>
      db
        .prepare(
          "INSERT INTO instances (benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (99, 0, 'a', 'q', '[]')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY constraint failed/)
    // A score row cannot claim a value while failed, nor be 'ok' without a value.
    db.prepare(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'pending', '{}', 1, ?)",
    ).run(now)
    db.prepare(
      "INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('b','B','open_ended','public',?)",
    ).run(now)
    db.prepare(
      "INSERT INTO benchmark_versions (id, benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at) VALUES (1,'b','1','h','{}','pack',1,?)",
    ).run(now)
    db.prepare(
      "INSERT INTO instances (id, benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (1, 1, 0, 'a', 'q', '[]')",
    ).run()
    db.prepare(
      "INSERT INTO run_items (id, run_id, model_key, instance_id, updated_at) VALUES (1, 1, 'o/m', 1, ?)",
    ).run(now)
    const score = db.prepare(
      'INSERT INTO scores (run_item_id, metric, value, status, created_at) VALUES (1, ?, ?, ?, ?)',
    )
    expect(() => score.run('m1', 0, 'failed', now)).toThrow(/CHECK constraint failed/)
    expect(() => score.run('m2', null, 'ok', now)).toThrow(/CHECK constraint failed/)
    expect(score.run('m3', null, 'unscored', now).changes).toBe(1)
    // A jury vote outside 1..5 is refused rather than clamped.
    const vote = db.prepare(
      "INSERT INTO jury_votes (run_item_id, judge_key, criterion, score, status, created_at) VALUES (1, 'j', ?, ?, ?, ?)",
    )
    expect(() => vote.run('accuracy', 6, 'valid', now)).toThrow(/CHECK constraint failed/)
    expect(() => vote.run('clarity', 0, 'valid', now)).toThrow(/CHECK constraint failed/)
    expect(vote.run('completeness', null, 'failed', now).changes).toBe(1)
    db.close()
  })

  it('each migration runs in its own transaction: a failing one leaves the earlier ones applied', () => {
    const db = new Database(':memory:')
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x); CREATE TABLE nope nope' },
    ]
    expect(() => migrate(db, broken)).toThrow()
    expect(schemaVersion(db)).toBe(1)
    expect(tables(db)).not.toContain('b')
    db.close()
  })

  it('refuses a database whose applied migration was edited', () => {
    const db = new Database(':memory:')
    migrate(db, [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x)' }])
    const edited = [{ version: 1, name: 'a', sql: 'CREATE TABLE a (x, y)' }]
    expect(() => migrate(db, edited)).toThrow(AppError)
    expect(() => migrate(db, edited)).toThrow(/schema history was altered/)
    db.close()
  })

  it('refuses a database written by a newer WardEval', () => {
    const db = new Database(':memory:')
    const newer = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (x)' },
    ]
    migrate(db, newer)
    expect(() => migrate(db, newer.slice(0, 1))).toThrow(/newer than this WardEval build knows/)
    db.close()
  })

  it('checksums are stable sha256 of the SQL', () => {
    expect(migrationChecksum({ version: 1, name: 'x', sql: 'abc' })).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
  })
})
