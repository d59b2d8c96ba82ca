import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns, databaseBefore, migrateThrough } from './migration-steps'

const STAGING = MIGRATIONS.find((m) => m.name === 'import_staging')!

describe('migration 0009 (import staging)', () => {
  it('adds import_staging over a database with benchmarks; a staging row goes with its version', () => {
    const db = databaseBefore(STAGING.version)
    db.exec(`
      INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('b', 'B', 'open_ended', 'private', 'x');
      INSERT INTO benchmark_versions (id, benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at)
        VALUES (1, 'b', '1', 'h', '{}', 'pack', 1, 'x'), (2, 'b', '2', '', '{}', 'csv', 0, 'x');
    `)
    migrateThrough(db, STAGING.version)
    expect(columns(db, 'import_staging')).toEqual([
      'version_id',
      'token',
      'owner_host',
      'owner_pid',
      'created_benchmark',
      'source_name',
      'started_at',
      'heartbeat_ms',
    ])
    const stage = db.prepare(
      `INSERT INTO import_staging (version_id, token, owner_host, owner_pid, created_benchmark, started_at, heartbeat_ms)
       VALUES (?, ?, 'h', 1, 0, 'x', 0)`,
    )
    stage.run(2, 't1')
    // One staging row per version, one per token, and only for an existing version.
    expect(() => stage.run(2, 't2')).toThrow(/UNIQUE/)
    expect(() => stage.run(1, 't1')).toThrow(/UNIQUE/)
    expect(() => stage.run(99, 't3')).toThrow(/FOREIGN KEY/)
    expect(() =>
      db
        .prepare(
          "INSERT INTO import_staging (version_id, token, owner_host, owner_pid, created_benchmark, started_at, heartbeat_ms) VALUES (1, 't4', 'h', 1, 2, 'x', 0)",
        )
        .run(),
    ).toThrow(/CHECK/)
    db.prepare('DELETE FROM benchmark_versions WHERE id = 2').run()
    expect((db.prepare('SELECT COUNT(*) AS n FROM import_staging').get() as { n: number }).n).toBe(0)
  })
})
