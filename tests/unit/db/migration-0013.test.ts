import type Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { databaseBefore, migrateThrough } from './migration-steps'

const DROP = MIGRATIONS.find((m) => m.name === 'drop_request_cache_key_index')!

const indexes = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'requests'").all() as {
      name: string
    }[]
  ).map((r) => r.name)

describe('migration 0013 (the unused index on requests.cache_key)', () => {
  it('drops the index and keeps the requests, which are still found by item', () => {
    const db = databaseBefore(DROP.version)
    expect(indexes(db)).toContain('requests_cache_key')
    db.exec(
      `INSERT INTO endpoints (id, name, kind, base_url, created_at) VALUES (1, 'local', 'ollama', 'http://127.0.0.1:11434', '2026-01-01')`,
    )
    db.exec(`INSERT INTO requests (id, run_item_id, endpoint_id, model_name, prompt, settings_json, cache_key, purpose, started_at)
             VALUES (1, NULL, 1, 'm', 'p', '{}', 'k', 'run', '2026-01-01')`)
    migrateThrough(db, DROP.version)
    expect(indexes(db)).not.toContain('requests_cache_key')
    expect(indexes(db)).toContain('requests_run_item')
    expect(db.prepare('SELECT cache_key FROM requests WHERE id = 1').get()).toEqual({ cache_key: 'k' })
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM requests WHERE run_item_id = 1').all() as {
      detail: string
    }[]
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/requests_run_item/)
  })
})
