/**
 * 0001 — the initial schema: every table the product needs, from benchmarks to the audit log.
 * Times are ISO-8601 UTC strings. JSON columns hold validated JSON documents.
 */
export const sql = /* sql */ `
CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Benchmarks ---------------------------------------------------------------
CREATE TABLE benchmarks (
  id             TEXT PRIMARY KEY,               -- slug: 'pubmed_qa', 'hosp_discharge_summaries'
  name           TEXT NOT NULL,
  category_id    TEXT,                           -- taxonomy placement (resources/taxonomy.json or local)
  subcategory_id TEXT,
  task_id        TEXT,
  task_type      TEXT NOT NULL CHECK (task_type IN ('multiple_choice','numeric','sql','classification','open_ended')),
  access         TEXT NOT NULL CHECK (access IN ('public','gated','private')),
  description    TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL
);

CREATE TABLE benchmark_versions (
  id             INTEGER PRIMARY KEY,
  benchmark_id   TEXT NOT NULL REFERENCES benchmarks(id) ON DELETE CASCADE,
  version        TEXT NOT NULL,
  content_hash   TEXT NOT NULL,                  -- sha256 of the normalized instances
  manifest_json  TEXT NOT NULL,                  -- the pack manifest: prompt template, metrics, jury criteria
  source_format  TEXT NOT NULL,                  -- importer that produced it: 'pack', 'pubmedqa', 'generic-csv', ...
  source_name    TEXT NOT NULL DEFAULT '',       -- file name the user imported (no directory)
  instance_count INTEGER NOT NULL CHECK (instance_count >= 0),
  imported_at    TEXT NOT NULL,
  UNIQUE (benchmark_id, version)
);
CREATE INDEX benchmark_versions_hash ON benchmark_versions(content_hash);

CREATE TABLE instances (
  id                   INTEGER PRIMARY KEY,
  benchmark_version_id INTEGER NOT NULL REFERENCES benchmark_versions(id) ON DELETE CASCADE,
  ordinal              INTEGER NOT NULL,         -- position in the source file, 0-based
  ext_id               TEXT NOT NULL,            -- the id within the benchmark
  split                TEXT NOT NULL DEFAULT 'test',
  input                TEXT NOT NULL,
  choices_json         TEXT,                     -- JSON array of option texts, or NULL
  references_json      TEXT NOT NULL,            -- JSON array of reference answers
  metadata_json        TEXT NOT NULL DEFAULT '{}',
  UNIQUE (benchmark_version_id, ext_id),
  UNIQUE (benchmark_version_id, ordinal)
);

-- Models and endpoints -----------------------------------------------------
CREATE TABLE endpoints (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ('ollama','openai')),
  base_url    TEXT NOT NULL,
  concurrency INTEGER NOT NULL DEFAULT 4 CHECK (concurrency BETWEEN 1 AND 256),
  timeout_ms  INTEGER NOT NULL DEFAULT 600000 CHECK (timeout_ms > 0),
  created_at  TEXT NOT NULL
);

-- Explicit approvals of non-loopback destinations: who, when, why.
CREATE TABLE egress_approvals (
  id          INTEGER PRIMARY KEY,
  host        TEXT NOT NULL,
  port        INTEGER,                           -- NULL: any port on that host
  approved_by TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (length(reason) > 0),
  approved_at TEXT NOT NULL,
  revoked_at  TEXT,
  revoked_by  TEXT
);

CREATE TABLE models (
  id             INTEGER PRIMARY KEY,
  endpoint_id    INTEGER NOT NULL REFERENCES endpoints(id) ON DELETE CASCADE,
  name           TEXT NOT NULL,
  digest         TEXT,
  size_bytes     INTEGER,
  family         TEXT,
  parameter_size TEXT,
  quantization   TEXT,
  details_json   TEXT NOT NULL DEFAULT '{}',
  last_seen_at   TEXT NOT NULL,
  UNIQUE (endpoint_id, name)
);

-- Runs ---------------------------------------------------------------------
CREATE TABLE runs (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL DEFAULT '',
  status        TEXT NOT NULL CHECK (status IN ('pending','running','paused','completed','cancelled','failed')),
  settings_json TEXT NOT NULL,                   -- generation settings, limits, concurrency
  seed          INTEGER NOT NULL,
  manifest_json TEXT,                            -- reproducibility manifest, filled when the run starts
  created_at    TEXT NOT NULL,
  started_at    TEXT,
  finished_at   TEXT
);

CREATE TABLE run_models (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model_key    TEXT NOT NULL,                    -- '<endpoint>/<model>' as the user chose it
  model_name   TEXT NOT NULL,
  model_digest TEXT,
  PRIMARY KEY (run_id, model_key)
);

CREATE TABLE run_benchmarks (
  run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_version_id INTEGER NOT NULL REFERENCES benchmark_versions(id),
  instance_limit       INTEGER,
  PRIMARY KEY (run_id, benchmark_version_id)
);

-- One unit of work: one model on one instance.
CREATE TABLE run_items (
  id          INTEGER PRIMARY KEY,
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  model_key   TEXT NOT NULL,
  instance_id INTEGER NOT NULL REFERENCES instances(id),
  status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
  attempts    INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  response_id INTEGER REFERENCES responses(id),
  updated_at  TEXT NOT NULL,
  UNIQUE (run_id, model_key, instance_id)
);
CREATE INDEX run_items_status ON run_items(run_id, status);

CREATE TABLE requests (
  id            INTEGER PRIMARY KEY,
  run_item_id   INTEGER REFERENCES run_items(id) ON DELETE CASCADE,
  endpoint_id   INTEGER REFERENCES endpoints(id),
  model_name    TEXT NOT NULL,
  model_digest  TEXT,
  prompt        TEXT NOT NULL,
  settings_json TEXT NOT NULL,
  cache_key     TEXT NOT NULL,
  purpose       TEXT NOT NULL CHECK (purpose IN ('run','judge','embedding')),
  started_at    TEXT NOT NULL
);
CREATE INDEX requests_cache_key ON requests(cache_key);

CREATE TABLE responses (
  id                INTEGER PRIMARY KEY,
  request_id        INTEGER NOT NULL UNIQUE REFERENCES requests(id) ON DELETE CASCADE,
  text              TEXT NOT NULL,
  prompt_tokens     INTEGER,
  completion_tokens INTEGER,
  latency_ms        REAL NOT NULL,
  finished_at       TEXT NOT NULL
);

CREATE TABLE response_cache (
  cache_key   TEXT PRIMARY KEY,                  -- sha256(model digest, full prompt, settings)
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL
);

-- Scoring ------------------------------------------------------------------
-- value is NULL exactly when status is not 'ok': a failure is never recorded as a score.
CREATE TABLE scores (
  id           INTEGER PRIMARY KEY,
  run_item_id  INTEGER NOT NULL REFERENCES run_items(id) ON DELETE CASCADE,
  metric       TEXT NOT NULL,
  value        REAL,
  status       TEXT NOT NULL CHECK (status IN ('ok','failed','unscored')),
  details_json TEXT NOT NULL DEFAULT '{}',
  created_at   TEXT NOT NULL,
  UNIQUE (run_item_id, metric),
  CHECK ((status = 'ok') = (value IS NOT NULL))
);

CREATE TABLE jury_votes (
  id           INTEGER PRIMARY KEY,
  run_item_id  INTEGER NOT NULL REFERENCES run_items(id) ON DELETE CASCADE,
  judge_key    TEXT NOT NULL,                    -- '<endpoint>/<model>'
  judge_digest TEXT,
  criterion    TEXT NOT NULL,
  score        INTEGER CHECK (score BETWEEN 1 AND 5),
  explanation  TEXT,
  status       TEXT NOT NULL CHECK (status IN ('valid','failed')),
  raw_text     TEXT,
  attempts     INTEGER NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  UNIQUE (run_item_id, judge_key, criterion),
  CHECK ((status = 'valid') = (score IS NOT NULL))
);

-- Clinician review ---------------------------------------------------------
CREATE TABLE reviewers (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL DEFAULT 'clinician',
  created_at TEXT NOT NULL
);

CREATE TABLE ratings (
  id          INTEGER PRIMARY KEY,
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  run_item_id INTEGER NOT NULL REFERENCES run_items(id) ON DELETE CASCADE,
  criterion   TEXT NOT NULL,
  score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment     TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL,
  UNIQUE (reviewer_id, run_item_id, criterion)
);

-- Audit --------------------------------------------------------------------
-- Hash-chained: hash = sha256(prev_hash || canonical row). Never updated or deleted by the app.
CREATE TABLE audit_log (
  seq            INTEGER PRIMARY KEY,
  ts             TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('request','refusal','approval','policy')),
  actor          TEXT NOT NULL DEFAULT '',
  endpoint_id    INTEGER,
  host           TEXT NOT NULL DEFAULT '',
  port           INTEGER,
  address        TEXT NOT NULL DEFAULT '',
  purpose_json   TEXT NOT NULL DEFAULT '{}',
  bytes_sent     INTEGER NOT NULL DEFAULT 0,
  bytes_received INTEGER NOT NULL DEFAULT 0,
  body_sha256    TEXT NOT NULL DEFAULT '',
  outcome        TEXT NOT NULL,
  detail         TEXT NOT NULL DEFAULT '',
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_ts ON audit_log(ts);
`
