/**
 * Review import at scale: `review import <csv>` of 540,000 ratings (60,000 run items × 3 criteria
 * × 3 reviewers).
 *
 *   npx tsx bench/review-import.ts [ratings=540000]
 *
 * Builds a database with one open-ended benchmark (jury criteria accuracy, completeness, clarity),
 * a run with one output per instance, and a ratings CSV (a comment on one row in ten), in a temp
 * folder; then imports the CSV in a fresh process through the same path as the CLI and prints the
 * time and that process's peak RSS (getrusage maxrss, so a short spike is not missed). Goal: at
 * most 10 s and 300 MB. It then imports a copy with one bad row at the end and checks that the
 * error names its line and field and that nothing was written.
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAppContext } from '../src/main/app/context'
import { STANDARD_JURY_CRITERIA } from '../src/main/jury/criteria'
import { importRatings } from '../src/main/review/import-csv'
import { BenchmarkManifest } from '../src/shared/benchmarks/pack'

const CRITERIA = STANDARD_JURY_CRITERIA.map((c) => c.id)
const REVIEWERS = ['Dr Ada Rivera', 'Dr Ben Okafor', 'Dr Chen Liu']

function buildDatabase(dbPath: string, items: number): void {
  const ctx = createAppContext({ dbPath, env: {} })
  const manifest = BenchmarkManifest.parse({
    id: 'bench_notes',
    name: 'Bench notes',
    taxonomy: { category: 'clinical_note_generation', subcategory: 'documentation' },
    access: 'private',
    taskType: 'open_ended',
    prompt: { instructions: 'Answer.', template: '{{input}}', outputNoun: 'Answer', maxTokens: 100 },
    metrics: [{ name: 'jury', main: true }],
    jury: { criteria: [...STANDARD_JURY_CRITERIA] },
  })
  const db = ctx.db
  const now = new Date().toISOString()
  db.transaction(() => {
    db.prepare(
      "INSERT INTO benchmarks (id, name, task_type, access, created_at) VALUES ('bench_notes', 'Bench notes', 'open_ended', 'private', ?)",
    ).run(now)
    db.prepare(
      `INSERT INTO benchmark_versions (id, benchmark_id, version, content_hash, manifest_json, source_format, instance_count, imported_at)
       VALUES (1, 'bench_notes', '1', 'h', ?, 'pack', ?, ?)`,
    ).run(JSON.stringify(manifest), items, now)
    db.prepare(
      "INSERT INTO runs (id, status, settings_json, seed, created_at) VALUES (1, 'completed', '{}', 0, ?)",
    ).run(now)
    const inst = db.prepare(
      "INSERT INTO instances (id, benchmark_version_id, ordinal, ext_id, input, references_json) VALUES (?, 1, ?, ?, 'q', '[]')",
    )
    const item = db.prepare(
      "INSERT INTO run_items (id, run_id, model_key, instance_id, status, updated_at) VALUES (?, 1, 'ollama/m', ?, 'done', ?)",
    )
    for (let i = 1; i <= items; i++) {
      inst.run(i, i - 1, `case-${i}`)
      item.run(i, i, now)
    }
  })()
  ctx.close()
}

async function writeCsv(path: string, items: number, badLast: boolean): Promise<number> {
  const out = createWriteStream(path)
  out.write('reviewer,item,criterion,score,comment\n')
  let rows = 0
  let buf = ''
  for (let i = 1; i <= items; i++) {
    for (const r of REVIEWERS)
      for (const c of CRITERIA) {
        const score = 1 + ((i * 7 + r.length + c.length) % 5)
        buf += `${r},${i},${c},${score},${rows % 10 === 0 ? '"plausible, but misses the ""red flag"" symptoms"' : ''}\n`
        rows++
      }
    if (buf.length > 1 << 16) {
      if (!out.write(buf)) await once(out, 'drain')
      buf = ''
    }
  }
  if (badLast) buf += `${REVIEWERS[0]},1,accuracy,7,\n`
  out.end(buf)
  await once(out, 'finish')
  return rows
}

/** In the child: one import, timed; prints a JSON line. */
async function measure(dbPath: string, csvPath: string): Promise<void> {
  const ctx = createAppContext({ dbPath, env: {} })
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  try {
    const r = await importRatings(ctx.db, csvPath)
    const seconds = (performance.now() - t0) / 1000
    const used = process.cpuUsage(cpu0)
    const cpuSeconds = (used.user + used.system) / 1e6
    const written = ctx.db.prepare('SELECT COUNT(*) FROM ratings').pluck().get() as number
    console.log(
      JSON.stringify({
        ok: true,
        seconds,
        cpuSeconds,
        rows: r.rows,
        written,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      }),
    )
  } catch (e) {
    const written = ctx.db.prepare('SELECT COUNT(*) FROM ratings').pluck().get() as number
    console.log(
      JSON.stringify({
        ok: false,
        message: (e as Error).message,
        written,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      }),
    )
  } finally {
    ctx.close()
  }
}

function child(dbPath: string, csvPath: string): Record<string, unknown> {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--measure', dbPath, csvPath],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = r.stdout.trim().split('\n').pop() ?? ''
  return JSON.parse(line) as Record<string, unknown>
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') return measure(process.argv[3]!, process.argv[4]!)
  const target = Number(process.argv[2] ?? 540_000)
  const items = Math.ceil(target / (REVIEWERS.length * CRITERIA.length))
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-review-'))
  try {
    const good = join(dir, 'ratings.csv')
    const bad = join(dir, 'ratings-bad.csv')
    buildDatabase(join(dir, 'a.db'), items)
    buildDatabase(join(dir, 'b.db'), items)
    const rows = await writeCsv(good, items, false)
    await writeCsv(bad, items, true)
    console.log(
      `review import: ${rows.toLocaleString('en')} ratings (${items.toLocaleString('en')} items × ${CRITERIA.length} criteria × ${REVIEWERS.length} reviewers)`,
    )
    const r = child(join(dir, 'a.db'), good)
    if (!r.ok) throw new Error(`the import failed: ${String(r.message)}`)
    const s = r.seconds as number
    const mb = r.maxRssMb as number
    console.log(
      `  time      ${s.toFixed(2)} s wall, ${(r.cpuSeconds as number).toFixed(2)} s CPU (${Math.round(rows / s).toLocaleString('en')} ratings/s; goal ≤ 10 s)  ${s <= 10 ? 'OK' : 'OVER'}${loadavg()[0]! > cpus().length ? ` — machine busy (load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores): the CPU time is the fairer figure` : ''}`,
    )
    console.log(
      `  peak RSS  ${mb.toFixed(0)} MB  (whole process; goal ≤ 300 MB)  ${mb <= 300 ? 'OK' : 'OVER'}`,
    )
    console.log(`  written   ${String(r.written)} ratings`)
    const b = child(join(dir, 'b.db'), bad)
    const named =
      typeof b.message === 'string' && /line \d+, score: "7" is not a whole number/.test(b.message)
    console.log(
      `  bad row   ${!b.ok && named && b.written === 0 ? 'OK' : 'FAILED'}: refused (${String(b.message).split('\n')[1] ?? b.message}); ${String(b.written)} ratings written; peak RSS ${(b.maxRssMb as number).toFixed(0)} MB`,
    )
  } finally {
    if (process.env.KEEP) console.log(dir)
    else rmSync(dir, { recursive: true, force: true })
  }
}

void main()
