import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { migrateBefore, migrateThrough } from './migration-steps'

describe('migration 0005 (model prices)', () => {
  it('adds model_prices: one price per model key, non-negative USD per 1M input and output tokens', () => {
    const db = new Database(':memory:')
    migrateBefore(db, 5)
    db.prepare(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 0, 'x')",
    ).run()
    migrateThrough(db, 5)
    expect(MIGRATIONS.find((m) => m.version === 5)?.name).toBe('model_prices')
    const insert = db.prepare(
      "INSERT INTO model_prices (model_key, input_per_mtok, output_per_mtok, updated_at) VALUES (?, ?, ?, 't')",
    )
    insert.run('ollama/llama3.1:8b', 0.2, 0.6)
    expect(() => insert.run('ollama/llama3.1:8b', 1, 1)).toThrow(/UNIQUE constraint/)
    expect(() => insert.run('lab/a', -0.01, 1)).toThrow(/CHECK constraint/)
    expect(() => insert.run('lab/b', 1, -1)).toThrow(/CHECK constraint/)
    expect(() => insert.run('x', 1, 1)).toThrow(/CHECK constraint/)
    expect(() => insert.run('lab/c', null, 1)).toThrow(/NOT NULL/)
    expect(db.prepare('SELECT * FROM model_prices').all()).toEqual([
      { model_key: 'ollama/llama3.1:8b', input_per_mtok: 0.2, output_per_mtok: 0.6, updated_at: 't' },
    ])
    // Rows written before it are untouched.
    expect(db.prepare('SELECT status FROM runs WHERE id = 1').get()).toEqual({ status: 'completed' })
    db.close()
  })
})
