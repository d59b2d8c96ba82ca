/**
 * 0002 — local edits of the MedHELM taxonomy's tasks. The shipped taxonomy (resources/taxonomy.json)
 * is never modified: these tables hold what a user added or changed on this machine, and the
 * taxonomy view overlays them on the shipped data.
 */
export const sql = /* sql */ `
-- A task the user added (origin 'local'), or a local override of a shipped task (origin 'shipped',
-- same id as in taxonomy.json: a new name and/or a new subcategory).
CREATE TABLE taxonomy_tasks (
  id             TEXT PRIMARY KEY,
  origin         TEXT NOT NULL CHECK (origin IN ('local','shipped')),
  subcategory_id TEXT NOT NULL,
  name           TEXT NOT NULL CHECK (length(trim(name)) > 0),
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX taxonomy_tasks_name ON taxonomy_tasks(subcategory_id, lower(name));

-- Which benchmarks (catalog ids or loaded benchmark ids) exercise a task, shipped or local.
CREATE TABLE taxonomy_task_benchmarks (
  task_id      TEXT NOT NULL,
  benchmark_id TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  PRIMARY KEY (task_id, benchmark_id)
);
CREATE INDEX taxonomy_task_benchmarks_benchmark ON taxonomy_task_benchmarks(benchmark_id);
`
