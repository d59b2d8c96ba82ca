import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns, migrateThrough } from './migration-steps'

describe('migration 0004 (runs)', () => {
  it('adds the run lease, control and error columns, endpoint pools, and the indexes the engine reads by', () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    const before = MIGRATIONS.filter((m) => m.version < 4)
    migrate(db, before)
    db.prepare(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 0, 'x')",
    ).run()
    migrateThrough(db, 4)
    expect(columns(db, 'runs')).toEqual(
      expect.arrayContaining(['error', 'control', 'lease_owner', 'lease_until']),
    )
    expect(columns(db, 'run_models')).toEqual(expect.arrayContaining(['pool_key', 'endpoint_id']))
    // Rows written before it keep working (new columns are NULL).
    expect(db.prepare('SELECT status, control, lease_owner FROM runs WHERE id = 1').get()).toEqual({
      status: 'completed',
      control: null,
      lease_owner: null,
    })
    // Only 'pause' and 'cancel' may be asked for.
    expect(() => db.prepare("UPDATE runs SET control = 'explode' WHERE id = 1").run()).toThrow(
      /CHECK constraint/,
    )
    db.prepare("UPDATE runs SET control = 'pause' WHERE id = 1").run()
    const indexes = (
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]
    ).map((r) => r.name)
    expect(indexes).toEqual(
      expect.arrayContaining(['run_items_run_model', 'requests_run_item', 'run_items_response']),
    )
    db.close()
  })
})
