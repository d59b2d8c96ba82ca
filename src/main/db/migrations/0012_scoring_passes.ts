/**
 * 0012 — every scoring pass of a run is recorded, so why a pass failed can be read on the Runs
 * screen and by `jury passes` (until now the reason reached only the job's progress event and,
 * for a judge request, an audit row's detail).
 * - state: running → done | failed | cancelled; a row left 'running' by a process that died
 *   stays so (shown as "did not finish").
 * - message: the pass's outcome in words (for a failure, the reason: the judge, the endpoint and
 *   the server's answer); never patient text.
 */
export const sql = /* sql */ `
CREATE TABLE scoring_passes (
  id              INTEGER PRIMARY KEY,
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  job_id          TEXT NOT NULL,
  judges_json     TEXT NOT NULL CHECK (json_valid(judges_json)),
  embedding_model TEXT,
  state           TEXT NOT NULL CHECK (state IN ('running','done','failed','cancelled')),
  error_code      TEXT,
  message         TEXT,
  started_at      TEXT NOT NULL,
  finished_at     TEXT,
  CHECK ((state = 'running') = (finished_at IS NULL))
);
CREATE INDEX scoring_passes_run ON scoring_passes (run_id, id);
`
