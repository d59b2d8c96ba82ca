/**
 * 0010 — fault tolerance:
 * - `_sessions`: one row per process that has the database open for writing, removed when it
 *   closes cleanly. A row left by a process that is gone means an unclean shutdown: the next open
 *   runs `PRAGMA quick_check` before writing (src/main/db/sessions.ts).
 * - `run_request_failures`: the model requests of a run that failed and were retried or given up,
 *   counted by endpoint, model and kind (HTTP status, timeout, connection …), so the run's
 *   summary, manifest and screen report every request actually sent (src/main/runs/store.ts).
 */
export const sql = /* sql */ `
CREATE TABLE _sessions (
  owner      TEXT PRIMARY KEY,                  -- '<host>:<pid>'
  host       TEXT NOT NULL,
  pid        INTEGER NOT NULL,
  opened_at  TEXT NOT NULL
);

CREATE TABLE run_request_failures (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model_key  TEXT NOT NULL,                     -- the endpoint's model that was asked
  endpoint   TEXT NOT NULL,
  kind       TEXT NOT NULL,                     -- 'HTTP 500', 'timeout', 'connection', 'bad answer', …
  count      INTEGER NOT NULL CHECK (count > 0),
  PRIMARY KEY (run_id, model_key, endpoint, kind)
) WITHOUT ROWID;
`
