import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns } from './migration-steps'

const MINE = MIGRATIONS.find((m) => m.name === 'sessions_request_failures')!.version

describe('migration 0010 (sessions, request failures)', () => {
  it('adds the session notes and per-kind failed-request counts over a database with a run', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.name !== 'sessions_request_failures' && m.version < MINE),
    )
    db.exec(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 0, 'x')",
    )
    migrate(db, MIGRATIONS)
    expect(columns(db, '_sessions')).toEqual(['owner', 'host', 'pid', 'opened_at'])
    expect(columns(db, 'run_request_failures')).toEqual(['run_id', 'model_key', 'endpoint', 'kind', 'count'])
    const add = db.prepare(
      'INSERT INTO run_request_failures (run_id, model_key, endpoint, kind, count) VALUES (?, ?, ?, ?, ?)',
    )
    add.run(1, 'a/m', 'a', 'HTTP 500', 3)
    expect(() => add.run(1, 'a/m', 'a', 'HTTP 500', 1)).toThrow(/UNIQUE/)
    expect(() => add.run(1, 'a/m', 'a', 'timeout', 0)).toThrow(/CHECK/)
    expect(() => add.run(2, 'a/m', 'a', 'timeout', 1)).toThrow(/FOREIGN KEY/)
    db.prepare('DELETE FROM runs WHERE id = 1').run()
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_request_failures').get()).toEqual({ n: 0 })
  })
})
