/**
 * 0006 — blind clinician review: review sets (a seeded sample of one run's outputs on one
 * open-ended benchmark, stratified across the run's models, the same for every reviewer) and where
 * each reviewer stopped in a set. Ratings themselves stay in `ratings` (0001): one row per
 * reviewer × run item × criterion.
 */
export const sql = /* sql */ `
CREATE TABLE review_sets (
  id                   INTEGER PRIMARY KEY,
  run_id               INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  benchmark_version_id INTEGER NOT NULL REFERENCES benchmark_versions(id),
  size                 INTEGER NOT NULL CHECK (size > 0),
  seed                 INTEGER NOT NULL,
  criteria_json        TEXT NOT NULL,            -- the benchmark's jury criteria when the set was made
  created_at           TEXT NOT NULL
);
CREATE INDEX review_sets_run ON review_sets(run_id);

CREATE TABLE review_set_items (
  set_id      INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  run_item_id INTEGER NOT NULL REFERENCES run_items(id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL CHECK (ordinal >= 0), -- canonical order (model, instance); reviewers see their own order
  PRIMARY KEY (set_id, run_item_id),
  UNIQUE (set_id, ordinal)
);
CREATE INDEX review_set_items_item ON review_set_items(run_item_id);

-- Where a reviewer stopped in a set (a position in that reviewer's own order), to resume there.
CREATE TABLE review_progress (
  set_id      INTEGER NOT NULL REFERENCES review_sets(id) ON DELETE CASCADE,
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id) ON DELETE CASCADE,
  position    INTEGER NOT NULL CHECK (position >= 0),
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (set_id, reviewer_id)
);

CREATE INDEX ratings_item ON ratings(run_item_id);
`
