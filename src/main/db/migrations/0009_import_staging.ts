/**
 * 0009 — import staging. An import writes its instances in small transactions under a version row
 * that stays invisible while a row here names it; one short final transaction makes it visible
 * (deletes the row here and sets the version's hash and count). The owner (host, process id, a
 * token) and a heartbeat tell a live import from one whose process died: a dead one's rows are
 * removed by the next open or import (src/main/benchmarks/staging.ts).
 */
export const sql = /* sql */ `
CREATE TABLE import_staging (
  version_id        INTEGER PRIMARY KEY REFERENCES benchmark_versions(id) ON DELETE CASCADE,
  token             TEXT NOT NULL UNIQUE,
  owner_host        TEXT NOT NULL,
  owner_pid         INTEGER NOT NULL,
  created_benchmark INTEGER NOT NULL CHECK (created_benchmark IN (0, 1)),
  source_name       TEXT NOT NULL DEFAULT '',
  started_at        TEXT NOT NULL,
  heartbeat_ms      INTEGER NOT NULL
);
`
