/**
 * 0011 — an approval of a host name pins the addresses the name resolved to when it was approved.
 * - egress_approvals.addresses_json: JSON array of canonical IP addresses (NULL for an approval of
 *   an IP address, and for name approvals made before this migration: those are refused until
 *   re-approved, which pins them).
 * - egress_approvals.replaces: the approval this one re-approved (same host, port and reason, new
 *   addresses); the replaced approval is revoked in the same transaction.
 * - the revoke-only trigger is re-created so the new columns are as immutable as the others.
 */
export const sql = /* sql */ `
ALTER TABLE egress_approvals ADD COLUMN addresses_json TEXT CHECK (addresses_json IS NULL OR json_valid(addresses_json));
ALTER TABLE egress_approvals ADD COLUMN replaces INTEGER REFERENCES egress_approvals(id);

DROP TRIGGER egress_approvals_revoke_only;
CREATE TRIGGER egress_approvals_revoke_only BEFORE UPDATE ON egress_approvals
WHEN OLD.revoked_at IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.host IS NOT OLD.host OR NEW.port IS NOT OLD.port
  OR NEW.approved_by IS NOT OLD.approved_by OR NEW.reason IS NOT OLD.reason OR NEW.approved_at IS NOT OLD.approved_at
  OR NEW.addresses_json IS NOT OLD.addresses_json OR NEW.replaces IS NOT OLD.replaces
  OR NEW.revoked_at IS NULL OR NEW.revoked_by IS NULL
BEGIN
  SELECT RAISE(ABORT, 'an egress approval can only be revoked, once');
END;
`
