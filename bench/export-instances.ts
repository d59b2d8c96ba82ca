/**
 * Per-instance export at scale: `export instances` of a run with 100,000 run items (each with a
 * ~1 KB response, a jury score and 9 jury votes; every 50th generation failed, every 7th item one
 * failed vote), as CSV and as JSONL.
 *
 *   npx tsx bench/export-instances.ts [items=100000]
 *
 * Builds the database in a temp folder (tests/support/scored-run.ts), then exports it in a fresh
 * process per format through the same code as the CLI and prints records/s and that process's
 * peak RSS (getrusage maxrss) beside its RSS before the export: streaming keeps the peak flat,
 * far below the size of the responses read.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAppContext } from '../src/main/app/context'
import { exportInstances } from '../src/main/export/exports'
import { seedScoredRun } from '../tests/support/scored-run'

async function measure(dbPath: string, format: 'csv' | 'jsonl', file: string): Promise<void> {
  const ctx = createAppContext({ dbPath, env: {} })
  const before = process.memoryUsage().rss / 2 ** 20
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  try {
    const r = await exportInstances(ctx, { runId: 1, format, file })
    const used = process.cpuUsage(cpu0)
    console.log(
      JSON.stringify({
        seconds: (performance.now() - t0) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
        records: r.records,
        bytes: r.bytes,
        rssBeforeMb: before,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      }),
    )
  } finally {
    ctx.close()
  }
}

function child(dbPath: string, format: string, file: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--measure', dbPath, format, file],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  if (r.status !== 0) throw new Error(`the ${format} export failed`)
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Record<string, number>
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure')
    return measure(process.argv[3]!, process.argv[4] as 'csv' | 'jsonl', process.argv[5]!)
  const items = Number(process.argv[2] ?? 100_000)
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-export-'))
  try {
    const dbPath = join(dir, 'bench.db')
    const ctx = createAppContext({ dbPath, env: {} })
    seedScoredRun(ctx.db, { instances: items })
    ctx.close()
    const dbMb = statSync(dbPath).size / 2 ** 20
    const busy =
      loadavg()[0]! > cpus().length
        ? ` (machine busy: load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`
        : ''
    console.log(
      `export instances: ${items.toLocaleString('en')} run items, 9 votes each; database ${dbMb.toFixed(0)} MB${busy}`,
    )
    for (const format of ['csv', 'jsonl'] as const) {
      const r = child(dbPath, format, join(dir, `out.${format}`))
      if (r.records !== items) throw new Error(`${format}: ${r.records} records, expected ${items}`)
      console.log(
        `  ${format.padEnd(5)} ${r.seconds!.toFixed(2)} s wall, ${r.cpuSeconds!.toFixed(2)} s CPU, ${Math.round(items / r.seconds!).toLocaleString('en')} records/s; file ${(r.bytes! / 2 ** 20).toFixed(0)} MB; RSS ${r.rssBeforeMb!.toFixed(0)} MB before, peak ${r.maxRssMb!.toFixed(0)} MB (goal: peak ≤ 250 MB whatever the run size) ${r.maxRssMb! <= 250 ? 'OK' : 'OVER'}`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
