import Database from 'better-sqlite3'
import { rowHash, type AuditRow } from '../../src/main/audit/chain'
import { AUDIT_HEAD_KEY } from '../../src/main/audit/log'

/**
 * The forging attack of the security review, done as someone with the database file would: open it
 * outside WardEval, drop the append-only triggers, edit (or delete) rows, recompute every later hash
 * with WardEval's own chain functions, and rewrite the stored chain head. The chain then verifies on
 * its own; only an anchor kept outside the database can tell.
 */
export function forgeAuditLog(
  dbPath: string,
  edit: { seq: number; detail?: string; deleteFrom?: number },
): void {
  const db = new Database(dbPath)
  try {
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;')
    db.transaction(() => {
      if (edit.deleteFrom !== undefined)
        db.prepare('DELETE FROM audit_log WHERE seq >= ?').run(edit.deleteFrom)
      if (edit.detail !== undefined)
        db.prepare('UPDATE audit_log SET detail = ? WHERE seq = ?').run(edit.detail, edit.seq)
      const rows = db
        .prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq')
        .all(edit.seq) as AuditRow[]
      let prev =
        (db
          .prepare('SELECT hash FROM audit_log WHERE seq = ?')
          .pluck()
          .get(edit.seq - 1) as string | undefined) ?? '0'.repeat(64)
      const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE seq = ?')
      let last: AuditRow | null = null
      for (const row of rows) {
        const { hash: _old, ...rest } = row
        const fixed = { ...rest, prev_hash: prev }
        const hash = rowHash(fixed)
        update.run(prev, hash, row.seq)
        prev = hash
        last = { ...fixed, hash }
      }
      const head = last ?? (db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1').get() as AuditRow)
      db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(
        JSON.stringify({ seq: head.seq, hash: head.hash }),
        AUDIT_HEAD_KEY,
      )
    })()
  } finally {
    db.close()
  }
}
