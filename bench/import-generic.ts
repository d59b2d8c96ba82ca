/**
 * Import throughput of the generic CSV importer on a large EHR-style extract.
 *
 *   npx tsx bench/import-generic.ts [rows=1000000]
 *
 * BENCH_CSV=<file> keeps the generated CSV at that path (and reuses it when it exists), to repeat
 * the import without regenerating the file.
 *
 * Generates a CSV of `rows` rows (~500 bytes each: encounter metadata, a free-text note, a
 * question and an answer) in a temp folder, imports it through the same path as
 * `wardeval import csv` (the import worker reads, parses, validates and normalizes; this thread
 * hashes and writes one SQLite transaction), and prints rows/s and peak RSS of the whole process,
 * both threads (sampled every 50 ms). Goal: ≥150,000 rows/s, peak RSS < 300 MB and flat.
 *
 * The WAL checkpoint that copies the import into the database file runs afterwards in the
 * background (src/main/app/context.ts); its time is printed separately.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createAppContext } from '../src/main/app/context'
import { runImport } from '../src/main/benchmarks/import'
import { EHR_MAP, writeCsv } from './ehr-csv'
import { mb } from './support'

const ROWS = Number(process.argv[2] ?? 1_000_000)

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-bench-'))
  try {
    const csv = process.env.BENCH_CSV ?? join(dir, 'ehr_extract.csv')
    let t = performance.now()
    const reuse = existsSync(csv)
    if (!reuse) await writeCsv(csv, ROWS)
    const size = statSync(csv).size
    console.log(
      `${reuse ? 'reused' : 'generated'} ${ROWS.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / ROWS)} bytes/row) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    )

    const ctx = createAppContext({ dbPath: join(dir, 'bench.db'), env: { WARDEVAL_NO_SAMPLES: '1' } })
    let peak = process.memoryUsage.rss()
    const rssAtStart = peak
    const samples: number[] = []
    const timer = setInterval(() => {
      const rss = process.memoryUsage.rss()
      samples.push(rss)
      if (rss > peak) peak = rss
    }, 50)
    t = performance.now()
    const cpu0 = process.cpuUsage()
    const elu0 = performance.eventLoopUtilization()
    const result = await runImport(ctx, {
      format: 'csv',
      path: csv,
      map: { ...EHR_MAP },
      settings: {
        subcategory: 'supporting_diagnostic_decisions',
        taskType: 'open_ended',
        name: 'EHR extract (bench)',
      },
    })
    const seconds = (performance.now() - t) / 1000
    const cpu = process.cpuUsage(cpu0)
    const elu = performance.eventLoopUtilization(elu0)
    const cpuSeconds = (cpu.user + cpu.system) / 1e6
    clearInterval(timer)
    peak = Math.max(peak, process.memoryUsage.rss())
    const q = (f: number) =>
      samples.length ? mb(samples[Math.min(samples.length - 1, Math.floor(samples.length * f))]!) : '-'
    console.log(
      `imported ${result.instanceCount.toLocaleString('en-US')} instances into ${result.benchmarkId} in ${seconds.toFixed(2)} s`,
    )
    console.log(
      `throughput: ${Math.round(result.instanceCount / seconds).toLocaleString('en-US')} rows/s (${(size / 1e6 / seconds).toFixed(1)} MB/s)`,
    )
    // On a shared machine wall-clock time includes waiting for a core; CPU time does not.
    console.log(
      `CPU time: ${cpuSeconds.toFixed(2)} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}) → ${Math.round(result.instanceCount / cpuSeconds).toLocaleString('en-US')} rows per CPU-second; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    )
    console.log(
      `writer thread (this one: content hash + SQLite) busy ${(elu.utilization * 100).toFixed(0)}% of the import; the rest of the CPU time is the import worker (read, parse, validate, normalize) and the kernel`,
    )
    console.log(
      `peak RSS: ${mb(peak)} (at start ${mb(rssAtStart)}; RSS at 25/50/75% of the import: ${q(0.25)} / ${q(0.5)} / ${q(0.75)})`,
    )
    console.log(`content hash: sha256:${result.contentHash}`)
    t = performance.now()
    ctx.db.pragma('wal_checkpoint(TRUNCATE)')
    console.log(
      `WAL checkpoint afterwards (in the app: in the background, after the import): ${((performance.now() - t) / 1000).toFixed(2)} s`,
    )
    ctx.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
