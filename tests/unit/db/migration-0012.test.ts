import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { databaseBefore, migrateThrough } from './migration-steps'

const PASSES = MIGRATIONS.find((m) => m.name === 'scoring_passes')!

describe('migration 0012 (scoring passes)', () => {
  it('records passes of a run; a finished pass needs its end time, a running one has none', () => {
    const db = databaseBefore(PASSES.version)
    db.exec(
      `INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 1, '2026-01-01')`,
    )
    migrateThrough(db, PASSES.version)
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
