import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { columns, databaseBefore, migrateThrough } from './migration-steps'

const PINNING = MIGRATIONS.find((m) => m.name === 'egress_pinning')!

describe('migration 0011 (egress pinning)', () => {
  it('adds the pinned addresses and the re-approval link to approvals made before it, which keep their rows', () => {
    const db = databaseBefore(PINNING.version)
    db.exec(`INSERT INTO egress_approvals (id, host, port, approved_by, reason, approved_at)
             VALUES (1, 'llm.hospital.test', 8000, 'dpo', 'pilot', '2026-01-01T00:00:00Z')`)
    migrateThrough(db, PINNING.version)
    expect(columns(db, 'egress_approvals')).toEqual([
      'id',
      'host',
      'port',
      'approved_by',
      'reason',
      'approved_at',
      'revoked_at',
      'revoked_by',
      'addresses_json',
      'replaces',
    ])
    // The old approval is kept, with no recorded address (the guard refuses it until re-approved).
    expect(db.prepare('SELECT host, addresses_json, replaces FROM egress_approvals').get()).toEqual({
      host: 'llm.hospital.test',
      addresses_json: null,
      replaces: null,
    })
    // Pinned addresses must be JSON, and are as immutable as the rest of an approval.
    expect(() =>
      db.exec(`INSERT INTO egress_approvals (host, port, approved_by, reason, approved_at, addresses_json)
               VALUES ('x.test', NULL, 'dpo', 'r', 'x', 'not json')`),
    ).toThrow(/CHECK/)
    db.exec(`INSERT INTO egress_approvals (id, host, port, approved_by, reason, approved_at, addresses_json, replaces)
             VALUES (2, 'llm.hospital.test', 8000, 'dpo', 'pilot', 'y', '["10.0.0.5"]', 1)`)
    expect(() => db.exec(`UPDATE egress_approvals SET addresses_json = '["10.0.0.9"]' WHERE id = 2`)).toThrow(
      /only be revoked/,
    )
    expect(() => db.exec('UPDATE egress_approvals SET replaces = NULL WHERE id = 2')).toThrow(
      /only be revoked/,
    )
    expect(() =>
      db.exec(
        "INSERT INTO egress_approvals (host, port, approved_by, reason, approved_at, replaces) VALUES ('a', NULL, 'd', 'r', 'z', 99)",
      ),
    ).toThrow(/FOREIGN KEY/)
    db.exec("UPDATE egress_approvals SET revoked_at = 'z', revoked_by = 'dpo' WHERE id = 1")
    expect(() => db.exec('DELETE FROM egress_approvals WHERE id = 1')).toThrow(/never deleted/)
    db.close()
  })
})
