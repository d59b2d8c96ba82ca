import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../src/main/db/migrate'
import { MIGRATIONS } from '../../../src/main/db/migrations'
import { appendAudit } from '../../../src/main/audit/log'
import { approveDestination, revokeApproval } from '../../../src/main/egress/policy'
import { migrateThrough } from './migration-steps'

function fresh(upTo?: number) {
  const db = new Database(':memory:')
  db.pragma('foreign_keys = ON')
  migrate(db, upTo === undefined ? MIGRATIONS : MIGRATIONS.filter((m) => m.version <= upTo))
  return db
}

describe('migration 0003 (audit guards)', () => {
  it('is listed as version 3, in order', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    expect(versions).toContain(3)
    expect([...versions].sort((a, b) => a - b)).toEqual(versions)
    expect(MIGRATIONS.find((m) => m.version === 3)!.name).toBe('audit_guards')
  })

  it('applies on top of version 2 and keeps existing rows', () => {
    const db = fresh(2)
    appendAudit(db, { kind: 'policy', actor: 'a', outcome: 'before' })
    migrateThrough(db, 3)
    expect(db.prepare('SELECT outcome FROM audit_log').all()).toEqual([{ outcome: 'before' }])
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
    expect(triggers).toEqual([
      { name: 'audit_log_no_delete' },
      { name: 'audit_log_no_update' },
      { name: 'egress_approvals_no_delete' },
      { name: 'egress_approvals_revoke_only' },
    ])
    db.close()
  })

  it('makes the audit log append-only', () => {
    const db = fresh()
    appendAudit(db, { kind: 'policy', actor: 'a', outcome: 'x' })
    expect(() => db.prepare("UPDATE audit_log SET outcome = 'y'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/)
    appendAudit(db, { kind: 'policy', actor: 'a', outcome: 'z' })
    expect(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get()).toEqual({ n: 2 })
    db.close()
  })

  it('lets an approval be revoked once, and nothing else', () => {
    const db = fresh()
    const a = approveDestination(db, {
      host: 'llm.hospital.test',
      port: 8000,
      reason: 'pilot',
      approvedBy: 'dpo',
      addresses: ['10.1.2.3'],
    })
    expect(() => db.prepare("UPDATE egress_approvals SET reason = 'changed' WHERE id = ?").run(a.id)).toThrow(
      /only be revoked/,
    )
    expect(() => db.prepare('DELETE FROM egress_approvals WHERE id = ?').run(a.id)).toThrow(/never deleted/)
    revokeApproval(db, a.id, 'dpo')
    expect(() =>
      db.prepare('UPDATE egress_approvals SET revoked_at = NULL, revoked_by = NULL WHERE id = ?').run(a.id),
    ).toThrow(/only be revoked/)
    db.close()
  })
})
