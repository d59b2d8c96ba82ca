import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'

const PASSES = MIGRATIONS.find((m) => m.name === 'scoring_passes')!

describe('migration 0012 (scoring passes)', () => {
  it('records passes of a run; a finished pass needs its end time, a running one has none', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version < PASSES.version),
    )
    db.exec(
      `INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 1, '2026-01-01')`,
    )
    migrate(
      db,
      MIGRATIONS.filter((m) => m.version <= PASSES.version),
    )
    const insert = db.prepare(
      `INSERT INTO scoring_passes (run_id, job_id, judges_json, state, message, started_at, finished_at)
       VALUES (?, 'j', ?, ?, ?, '2026-01-01', ?)`,
    )
    insert.run(1, '["ollama/a"]', 'running', null, null)
    insert.run(1, '[]', 'failed', 'judge ollama/a: not served', '2026-01-02')
    expect(() => insert.run(1, '[]', 'done', null, null)).toThrow(/CHECK/)
    expect(() => insert.run(1, '[]', 'running', null, '2026-01-02')).toThrow(/CHECK/)
    expect(() => insert.run(1, 'not json', 'failed', null, '2026-01-02')).toThrow(/CHECK/)
    expect(() => insert.run(1, '[]', 'odd', null, '2026-01-02')).toThrow(/CHECK/)
    expect(() => insert.run(2, '[]', 'failed', null, '2026-01-02')).toThrow(/FOREIGN KEY/)
    db.exec('DELETE FROM runs WHERE id = 1')
    expect(db.prepare('SELECT COUNT(*) AS n FROM scoring_passes').get()).toEqual({ n: 0 })
  })
})
