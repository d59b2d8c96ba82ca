import type { CoverageBenchmark, TaxonomyTask, TaxonomyView } from '../../shared/api/benchmarks'
import type { Db } from '../db/open'
import { AppError } from '../errors'
import { listBenchmarks } from './queries'
import type { Resources } from './resources'
import { visibleVersion } from './staging'

/**
 * The taxonomy as the user sees it: the shipped MedHELM taxonomy (never modified) overlaid with the
 * local task edits stored in SQLite (migration 0002), and the coverage of each subcategory and
 * task by the benchmarks loaded in this database.
 */

interface TaskRecord {
  id: string
  name: string
  subcategoryId: string
  origin: 'shipped' | 'local'
  edited: boolean
  shippedName: string | null
  provenance: string
}

interface LocalRow {
  id: string
  origin: 'shipped' | 'local'
  subcategory_id: string
  name: string
}

function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'task'
  )
}

export function allTasks(db: Db, res: Resources): TaskRecord[] {
  const rows = db
    .prepare('SELECT id, origin, subcategory_id, name FROM taxonomy_tasks ORDER BY created_at, id')
    .all() as LocalRow[]
  const overrides = new Map(rows.filter((r) => r.origin === 'shipped').map((r) => [r.id, r]))
  const tasks: TaskRecord[] = []
  for (const c of res.taxonomy.categories)
    for (const s of c.subcategories)
      for (const t of s.tasks) {
        const o = overrides.get(t.id)
        tasks.push({
          id: t.id,
          name: o?.name ?? t.name,
          subcategoryId: o?.subcategory_id ?? s.id,
          origin: 'shipped',
          edited: Boolean(o),
          shippedName: t.name,
          provenance: `${t.provenance === 'third_party' ? 'Third-party citation' : 'MedHELM source'}: ${t.source}`,
        })
      }
  for (const r of rows)
    if (r.origin === 'local')
      tasks.push({
        id: r.id,
        name: r.name,
        subcategoryId: r.subcategory_id,
        origin: 'local',
        edited: false,
        shippedName: null,
        provenance: 'Added on this machine',
      })
  return tasks
}

function taskOrThrow(db: Db, res: Resources, taskId: string): TaskRecord {
  const t = allTasks(db, res).find((x) => x.id === taskId)
  if (!t) throw new AppError('not_found', `No task with id "${taskId}" (see \`taxonomy\` for the ids)`)
  return t
}

function subcategoryOrThrow(res: Resources, subcategoryId: string): void {
  if (!res.subcategoryById.has(subcategoryId))
    throw new AppError(
      'not_found',
      `No subcategory "${subcategoryId}" in the MedHELM taxonomy (see \`taxonomy\` for the ids)`,
    )
}

function assertNameFree(db: Db, res: Resources, subcategoryId: string, name: string, except?: string): void {
  const clash = allTasks(db, res).find(
    (t) =>
      t.subcategoryId === subcategoryId &&
      t.id !== except &&
      t.name.trim().toLowerCase() === name.trim().toLowerCase(),
  )
  if (clash)
    throw new AppError('conflict', `${subcategoryId} already has a task named "${clash.name}" (${clash.id})`)
}

/** A task of the subcategory by id or (case-insensitive) name. */
export function resolveTask(db: Db, res: Resources, subcategoryId: string, task: string): string | null {
  const key = task.trim().toLowerCase()
  const t = allTasks(db, res).find(
    (x) => x.subcategoryId === subcategoryId && (x.id === task || x.name.toLowerCase() === key),
  )
  return t?.id ?? null
}

function mappedBenchmarks(db: Db): Map<string, string[]> {
  const map = new Map<string, string[]>()
  const rows = db
    .prepare('SELECT task_id, benchmark_id FROM taxonomy_task_benchmarks ORDER BY benchmark_id')
    .all() as {
    task_id: string
    benchmark_id: string
  }[]
  for (const r of rows) map.set(r.task_id, [...(map.get(r.task_id) ?? []), r.benchmark_id])
  for (const r of db.prepare('SELECT id, task_id FROM benchmarks WHERE task_id IS NOT NULL').all() as {
    id: string
    task_id: string
  }[]) {
    const list = map.get(r.task_id) ?? []
    if (!list.includes(r.id)) map.set(r.task_id, [...list, r.id])
  }
  return map
}

function toApiTask(t: TaskRecord, mapped: Map<string, string[]>, loaded: Set<string>): TaxonomyTask {
  const benchmarkIds = mapped.get(t.id) ?? []
  return {
    id: t.id,
    name: t.name,
    origin: t.origin,
    edited: t.edited,
    shippedName: t.shippedName,
    provenance: t.provenance,
    benchmarkIds,
    covered: benchmarkIds.some((b) => loaded.has(b)),
  }
}

function loadedIds(db: Db): Set<string> {
  return new Set(
    (
      db
        .prepare(
          `SELECT id FROM benchmarks b WHERE EXISTS (SELECT 1 FROM benchmark_versions v WHERE v.benchmark_id = b.id AND ${visibleVersion('v')})`,
        )
        .all() as { id: string }[]
    ).map((r) => r.id),
  )
}

function apiTask(db: Db, res: Resources, taskId: string): TaxonomyTask {
  return toApiTask(taskOrThrow(db, res, taskId), mappedBenchmarks(db), loadedIds(db))
}

export function addTask(
  db: Db,
  res: Resources,
  subcategoryId: string,
  name: string,
  now = new Date().toISOString(),
): TaxonomyTask {
  subcategoryOrThrow(res, subcategoryId)
  const clean = name.trim()
  assertNameFree(db, res, subcategoryId, clean)
  const taken = new Set(allTasks(db, res).map((t) => t.id))
  const base = `local_${slugify(clean)}`
  let id = base
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`
  db.prepare(
    "INSERT INTO taxonomy_tasks (id, origin, subcategory_id, name, created_at, updated_at) VALUES (?, 'local', ?, ?, ?, ?)",
  ).run(id, subcategoryId, clean, now, now)
  return apiTask(db, res, id)
}

export function updateTask(
  db: Db,
  res: Resources,
  taskId: string,
  change: { name?: string; subcategoryId?: string },
  now = new Date().toISOString(),
): TaxonomyTask {
  const t = taskOrThrow(db, res, taskId)
  const name = change.name?.trim() ?? t.name
  const subcategoryId = change.subcategoryId ?? t.subcategoryId
  subcategoryOrThrow(res, subcategoryId)
  assertNameFree(db, res, subcategoryId, name, t.id)
  db.transaction(() => {
    if (t.origin === 'local') {
      db.prepare('UPDATE taxonomy_tasks SET name = ?, subcategory_id = ?, updated_at = ? WHERE id = ?').run(
        name,
        subcategoryId,
        now,
        t.id,
      )
      return
    }
    const shipped = [...res.subcategoryById.values()].find((x) =>
      x.subcategory.tasks.some((s) => s.id === t.id),
    )!
    const original = shipped.subcategory.tasks.find((s) => s.id === t.id)!
    if (name === original.name && subcategoryId === shipped.subcategory.id) {
      db.prepare("DELETE FROM taxonomy_tasks WHERE id = ? AND origin = 'shipped'").run(t.id)
    } else {
      db.prepare(
        `INSERT INTO taxonomy_tasks (id, origin, subcategory_id, name, created_at, updated_at) VALUES (?, 'shipped', ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET subcategory_id = excluded.subcategory_id, name = excluded.name, updated_at = excluded.updated_at`,
      ).run(t.id, subcategoryId, name, now, now)
    }
  })()
  return apiTask(db, res, t.id)
}

/** Removes a local task (and its mappings), or reverts a shipped task to its shipped name and place. */
export function removeTask(db: Db, res: Resources, taskId: string): boolean {
  const t = taskOrThrow(db, res, taskId)
  return db.transaction(() => {
    const n = db.prepare('DELETE FROM taxonomy_tasks WHERE id = ?').run(t.id).changes
    if (t.origin === 'local') {
      db.prepare('DELETE FROM taxonomy_task_benchmarks WHERE task_id = ?').run(t.id)
      db.prepare('UPDATE benchmarks SET task_id = NULL WHERE task_id = ?').run(t.id)
    }
    return n > 0
  })()
}

export function mapTask(
  db: Db,
  res: Resources,
  taskId: string,
  benchmarkId: string,
  mapped: boolean,
  now = new Date().toISOString(),
): TaxonomyTask {
  const t = taskOrThrow(db, res, taskId)
  if (mapped) {
    if (!res.catalogById.has(benchmarkId) && !loadedIds(db).has(benchmarkId))
      throw new AppError('not_found', `No benchmark "${benchmarkId}" in the catalog or the database`)
    db.prepare(
      'INSERT OR IGNORE INTO taxonomy_task_benchmarks (task_id, benchmark_id, created_at) VALUES (?, ?, ?)',
    ).run(t.id, benchmarkId, now)
  } else {
    db.prepare('DELETE FROM taxonomy_task_benchmarks WHERE task_id = ? AND benchmark_id = ?').run(
      t.id,
      benchmarkId,
    )
  }
  return apiTask(db, res, t.id)
}

export function taxonomyView(db: Db, res: Resources): TaxonomyView {
  const loaded = listBenchmarks(db, res)
  const loadedById = new Map(loaded.map((b) => [b.id, b]))
  const tasks = allTasks(db, res)
  const mapped = mappedBenchmarks(db)
  const loadedSet = new Set(loadedById.keys())
  let coveredSubcategories = 0
  let subcategories = 0
  const categories = res.taxonomy.categories.map((c) => ({
    id: c.id,
    name: c.name,
    description: c.description,
    subcategories: c.subcategories.map((s) => {
      const benchmarks: CoverageBenchmark[] = s.benchmarks.map((id) => {
        const entry = res.catalogById.get(id)
        const b = loadedById.get(id)
        return {
          id,
          name: b?.name ?? entry?.name ?? id,
          access: b?.access ?? entry?.access ?? 'public',
          taskType: b?.taskType ?? entry?.taskType ?? 'open_ended',
          inCatalog: true,
          loaded: Boolean(b && b.subcategoryId === s.id),
          sample: Boolean(b?.sample),
          instanceCount: b && b.subcategoryId === s.id ? b.latest.instanceCount : 0,
          version: b && b.subcategoryId === s.id ? b.latest.version : null,
        }
      })
      for (const b of loaded)
        if (b.subcategoryId === s.id && !s.benchmarks.includes(b.id))
          benchmarks.push({
            id: b.id,
            name: b.name,
            access: b.access,
            taskType: b.taskType,
            inCatalog: false,
            loaded: true,
            sample: b.sample,
            instanceCount: b.latest.instanceCount,
            version: b.latest.version,
          })
      const loadedHere = benchmarks.filter((b) => b.loaded)
      subcategories++
      if (loadedHere.length) coveredSubcategories++
      return {
        id: s.id,
        name: s.name,
        description: s.description,
        summary: res.guide.subcategories[s.id]!.summary,
        examples: res.guide.subcategories[s.id]!.examples,
        benchmarkTasks: s.benchmarkTaskStatements
          .filter((b) => b.what !== 'n/a' && !b.what.includes('schema text'))
          .map((b) => ({ benchmark: b.benchmark, what: b.what })),
        covered: loadedHere.length > 0,
        loadedBenchmarkCount: loadedHere.length,
        instanceCount: loadedHere.reduce((n, b) => n + b.instanceCount, 0),
        benchmarks,
        tasks: tasks.filter((t) => t.subcategoryId === s.id).map((t) => toApiTask(t, mapped, loadedSet)),
        tasksStatus: s.tasksStatus,
      }
    }),
  }))
  const apiTasks = categories.flatMap((c) => c.subcategories.flatMap((s) => s.tasks))
  return {
    title: res.taxonomy.title,
    tasksClaimed: res.taxonomy.counts.tasksClaimed,
    categories,
    totals: {
      subcategories,
      coveredSubcategories,
      tasks: apiTasks.length,
      coveredTasks: apiTasks.filter((t) => t.covered).length,
      loadedBenchmarks: loaded.length,
      instances: loaded.reduce((n, b) => n + b.latest.instanceCount, 0),
    },
    provenance: [...res.taxonomy.provenance.sources, ...res.taxonomy.provenance.notes],
  }
}
