/**
 * A CSV import through the `wardeval` command, the whole process: the bundled CLI
 * (out/main/cli.js) is started as a child, imports a synthetic EHR extract of `rows` rows (its
 * import worker thread reads, parses and validates; the main thread hashes and writes the rows to
 * SQLite, in staged chunk transactions made visible by one final one; once 10,000 rows are written
 * a low-priority checkpoint helper thread copies the WAL back, src/main/db/checkpoint-helper.ts),
 * closes the database and exits. Wall time from spawn to exit, so
 * start-up, the worker's start and the final checkpoint all count.
 *
 *   npm run -s build && npx tsx bench/cli-import.ts [rows=300000] [runs=3]
 *
 * Each run imports into a database that exists already (created, with its samples, by `wardeval db
 * info` outside the measurement), as a user's import does. Prints rows/s (median of the runs), the
 * child's CPU time per thread (main: hash + SQLite; import worker: read, parse, validate, normalize;
 * the rest: the checkpoint helper and V8's helpers; the medians of the main thread's and
 * the worker's are printed too, with the content hash, which must not change) and its peak RSS
 * (VmHWM, all threads), from /proc. On a shared machine
 * wall time includes waiting for a core; the busiest thread's CPU time is the figure the wall time
 * approaches on two free cores, and `node -e 0`, timed before and after the runs, tells how fast
 * the machine is at the time. Goal (issue 16): ≥150,000 rows/s for 300,000 rows.
 * BENCH_CSV=<file> keeps the generated CSV (and reuses it).
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { EHR_MAP, writeCsv } from './ehr-csv'
import { nodeStartMs } from './support'

const ROWS = Number(process.argv[2] ?? 300_000)
const RUNS = Number(process.argv[3] ?? 3)
const CLI = resolve(__dirname, '../out/main/cli.js')

interface Sample {
  seconds: number
  /** Per thread, busiest first: the main thread and the import worker lead. */
  threads: number[]
  /** The main thread's CPU seconds (its thread id is the process id)… */
  main: number
  /** …and the busiest other thread's: the import worker. */
  worker: number
  peakRss: number | null
  instances: number
  hash: string
}

/** Peak resident set of a live process (Linux), in bytes; null where /proc is not there. */
function peakRss(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : null
  } catch {
    return null
  }
}

/** Adds to `seen` the CPU seconds (user + system) of each live thread of a process (Linux /proc). */
function threadCpu(pid: number, seen: Map<string, number>): void {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      seen.set(tid, (Number(fields[11]) + Number(fields[12])) / 100) // utime + stime, USER_HZ 100
    }
  } catch {
    // The process or a thread ended between the listing and the read: its last figure stays.
  }
}

async function importOnce(csv: string, db: string): Promise<Sample> {
  const map = Object.entries(EHR_MAP)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  const args = [CLI, '--db', db, '--json', 'import', 'csv', csv, '--benchmark', 'ehr_bench', '--map', map]
  args.push('--subcategory', 'supporting_diagnostic_decisions', '--task-type', 'open_ended')
  const made = spawnSync(process.execPath, [CLI, '--db', db, 'db', 'info'], { encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`wardeval db info exited ${made.status}: ${made.stderr}`)
  const t0 = performance.now()
  const child = spawn(process.execPath, args)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  let peak: number | null = null
  const cpu = new Map<string, number>() // a thread that ended (the import worker) keeps its last figure
  const poll = setInterval(() => {
    const rss = peakRss(child.pid!)
    if (rss !== null) peak = Math.max(peak ?? 0, rss)
    threadCpu(child.pid!, cpu)
  }, 20)
  const code: number = await new Promise((r) => child.on('exit', (c) => r(c ?? 1)))
  const seconds = (performance.now() - t0) / 1000
  clearInterval(poll)
  if (code !== 0) throw new Error(`wardeval import exited ${code}: ${stderr}`)
  const result = JSON.parse(stdout) as { instanceCount: number; contentHash: string }
  const threads = [...cpu.values()].sort((a, b) => b - a)
  const main = cpu.get(String(child.pid)) ?? 0
  const worker = Math.max(0, ...[...cpu].filter(([tid]) => tid !== String(child.pid)).map(([, s]) => s))
  return {
    seconds,
    threads,
    main,
    worker,
    peakRss: peak,
    instances: result.instanceCount,
    hash: result.contentHash,
  }
}

async function main() {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run -s build first`)
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-cli-import-'))
  try {
    const csv = process.env.BENCH_CSV ?? join(dir, 'ehr_extract.csv')
    if (!existsSync(csv)) await writeCsv(csv, ROWS)
    const size = statSync(csv).size
    console.log(
      `CSV: ${ROWS.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(1)} MB; ${RUNS} runs, each into its own database`,
    )
    const before = nodeStartMs()
    const samples: Sample[] = []
    for (let i = 0; i < RUNS; i++) {
      const s = await importOnce(csv, join(dir, `run${i}.db`))
      samples.push(s)
      const mb = s.peakRss === null ? 'n/a' : `${(s.peakRss / 1024 / 1024).toFixed(0)} MB`
      const [first = 0, second = 0, ...rest] = s.threads
      const others = rest.reduce((a, b) => a + b, 0)
      console.log(
        `run ${i + 1}: ${s.instances.toLocaleString('en-US')} rows in ${s.seconds.toFixed(2)} s → ${Math.round(s.instances / s.seconds).toLocaleString('en-US')} rows/s; CPU per thread ${first.toFixed(2)} s and ${second.toFixed(2)} s (others ${others.toFixed(2)} s) → ${Math.round(s.instances / first).toLocaleString('en-US')} rows per second of the busiest thread; peak RSS ${mb}`,
      )
      rmSync(join(dir, `run${i}.db`), { force: true })
    }
    const sorted = [...samples].sort((a, b) => a.seconds - b.seconds)
    const median = sorted[Math.floor(sorted.length / 2)]!
    const peak = Math.max(...samples.map((s) => s.peakRss ?? 0))
    const cpuMedian = (pick: (s: Sample) => number) =>
      [...samples.map(pick)].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!.toFixed(2)
    console.log(
      `median CPU: main thread ${cpuMedian((s) => s.main)} s, busiest other thread (the import worker, as a rule) ${cpuMedian((s) => s.worker)} s; content hash ${[...new Set(samples.map((s) => s.hash))].join(', ')}`,
    )
    console.log(
      `median: ${Math.round(median.instances / median.seconds).toLocaleString('en-US')} rows/s (whole process, ${median.seconds.toFixed(2)} s); peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(
          ' ',
        )}; node -e 0 took ${before.toFixed(0)} ms before the runs and ${nodeStartMs().toFixed(0)} ms after (~60-70 when this machine is quiet)`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

void main()
