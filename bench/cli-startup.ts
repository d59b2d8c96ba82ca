/**
 * Start-up of the `wardeval` command (the bundled CLI, out/main/cli.js): wall time from spawning
 * the process to its exit, for `--version` (answered before the program loads), `--help` (the
 * whole program, no database) and `db info` (program plus database), median of N runs.
 *
 *   npm run -s build && npx tsx bench/cli-startup.ts [runs=20]
 *
 * Goal (issue 16): first output within 150 ms. Run on an idle machine: the figure is wall time.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const RUNS = Number(process.argv[2] ?? 20)
const CLI = resolve(__dirname, '../out/main/cli.js')
const dir = mkdtempSync(join(tmpdir(), 'wardeval-startup-'))
const env = { ...process.env, WARDEVAL_DB: join(dir, 'w.db'), WARDEVAL_NO_SAMPLES: '1' }

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

function time(args: string[]): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`wardeval ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

try {
  time(['db', 'info']) // creates the database once, outside the measurement
  const node = median(
    Array.from({ length: RUNS }, () => {
      const t0 = performance.now()
      spawnSync(process.execPath, ['-e', '0'])
      return performance.now() - t0
    }),
  )
  console.log(`load average ${loadavg()[0]!.toFixed(2)}; ${RUNS} runs each; node -e 0: ${node.toFixed(0)} ms`)
  for (const args of [['--version'], ['--help'], ['db', 'info']]) {
    const ms = median(Array.from({ length: RUNS }, () => time(args)))
    console.log(`wardeval ${args.join(' ').padEnd(10)} ${ms.toFixed(0).padStart(5)} ms (median)`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
