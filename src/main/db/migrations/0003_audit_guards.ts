/**
 * 0003 — the audit log and the egress approvals defend themselves.
 * - audit_log is append-only: UPDATE and DELETE abort (the hash chain detects tampering done by
 *   someone who drops these triggers; the triggers stop any code path of the app from doing it).
 * - egress_approvals rows are never deleted; the only change allowed is revoking an active
 *   approval once (revoked_at and revoked_by), so who approved what, when and why stays on record.
 * - indexes for the Privacy & Audit screen's per-destination summary and filters.
 */
export const sql = /* sql */ `
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows are never updated');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows are never deleted');
END;

CREATE TRIGGER egress_approvals_no_delete BEFORE DELETE ON egress_approvals
BEGIN
  SELECT RAISE(ABORT, 'egress approvals are never deleted: revoke them');
END;

CREATE TRIGGER egress_approvals_revoke_only BEFORE UPDATE ON egress_approvals
WHEN OLD.revoked_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.host IS NOT OLD.host OR NEW.port IS NOT OLD.port
  OR NEW.approved_by IS NOT OLD.approved_by OR NEW.reason IS NOT OLD.reason OR NEW.approved_at IS NOT OLD.approved_at
  OR NEW.revoked_at IS NULL OR NEW.revoked_by IS NULL
BEGIN
  SELECT RAISE(ABORT, 'an egress approval can only be revoked, once');
END;

CREATE INDEX audit_log_destination ON audit_log(host, port);
CREATE INDEX audit_log_kind ON audit_log(kind, seq);
CREATE INDEX egress_approvals_host ON egress_approvals(host, port) WHERE revoked_at IS NULL;
`
