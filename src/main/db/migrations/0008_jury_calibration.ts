/**
 * 0008 — calibration of the jury to local clinicians: a monotone (isotonic) map from the jury's
 * composite score (1–5) to the clinicians' mean, fitted on the items of one or more review sets,
 * with its cross-validated before/after agreement. The leaderboard applies a stored map to show
 * calibrated jury scores beside the raw ones; the raw scores are never changed.
 */
export const sql = /* sql */ `
CREATE TABLE jury_calibrations (
  id              INTEGER PRIMARY KEY,
  set_ids_json    TEXT NOT NULL,                      -- review sets fitted on, ascending
  benchmarks_json TEXT NOT NULL,                      -- benchmark ids of those sets (where the map applies)
  items           INTEGER NOT NULL CHECK (items >= 30), -- items with a clinician mean and a jury score
  ratings         INTEGER NOT NULL CHECK (ratings >= items), -- clinician ratings (reviewer × item) behind them
  seed            INTEGER NOT NULL,
  folds           INTEGER NOT NULL CHECK (folds >= 2),
  map_json        TEXT NOT NULL,                      -- {"x": [...], "y": [...]} knots of the isotonic map
  report_json     TEXT NOT NULL,                      -- cross-validated agreement before and after
  created_at      TEXT NOT NULL
);
`
