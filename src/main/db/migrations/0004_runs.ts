/**
 * 0004 — what the run engine needs beyond 0001: who is executing a run (a lease renewed while it
 * runs, so a crashed process is recognised and its run can be resumed), requests from another
 * process to pause or cancel it, the reason a run failed, and endpoint pools (several endpoints
 * serving the same model share one run's work, recorded under one model key).
 */
export const sql = /* sql */ `
ALTER TABLE runs ADD COLUMN error TEXT;
-- A pause or cancel asked for by another process (the CLI while the app runs it, or the reverse).
ALTER TABLE runs ADD COLUMN control TEXT CHECK (control IN ('pause','cancel'));
-- The process executing the run ('<host>:<pid>:<nonce>') and until when its lease holds.
ALTER TABLE runs ADD COLUMN lease_owner TEXT;
ALTER TABLE runs ADD COLUMN lease_until TEXT;

-- The model key whose run items this endpoint works on (itself, or the first key of its pool).
ALTER TABLE run_models ADD COLUMN pool_key TEXT;
-- No foreign key: removing an endpoint must not be blocked by the runs that used it (the manifest keeps its URL).
ALTER TABLE run_models ADD COLUMN endpoint_id INTEGER;

CREATE INDEX run_items_run_model ON run_items(run_id, model_key, status);
CREATE INDEX requests_run_item ON requests(run_item_id);
CREATE INDEX run_items_response ON run_items(response_id);
`
