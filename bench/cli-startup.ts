/**
 * Start-up of the `wardeval` command (the bundled CLI, out/main/cli.js): from spawning the process
 * to its first output, and to its exit, median of N runs per command:
 *
 * - `--version` (answered before the program loads), `--help` (the light command index, no
 *   command module), a command's `--help` (that command's module only: `import --help`,
 *   `leaderboard --help`);
 * - commands that read the database (`db info`, `benchmarks list`, `runs`, `prices`): the program,
 *   the command's module and the core that opens the database (src/main/cli/command-index.ts).
 *
 *   npm run -s build && npx tsx bench/cli-startup.ts [runs=20]
 *
 * Goal (issue 16): first output within 150 ms. On a shared machine wall time includes waiting for
 * a core: the load average is printed, and `node -e 0` gives the floor on this machine now.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const RUNS = Number(process.argv[2] ?? 20)
const CLI = resolve(__dirname, '../out/main/cli.js')
const dir = mkdtempSync(join(tmpdir(), 'wardeval-startup-'))
const env = { ...process.env, WARDEVAL_DB: join(dir, 'w.db') }

const COMMANDS = [
  ['--version'],
  ['--help'],
  ['import', '--help'],
  ['leaderboard', '--help'],
  ['db', 'info'],
  ['benchmarks', 'list'],
  ['runs'],
  ['prices'],
]

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]!
}

/** Milliseconds to the first byte on stdout and to the exit of one run of `node args`. */
function time(args: string[]): Promise<{ first: number; exit: number }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { env })
  let first = NaN
  let stderr = ''
  child.stdout.once('data', () => (first = performance.now() - t0))
  child.stdout.resume()
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((ok, fail) =>
    child.on('close', (code) => {
      const exit = performance.now() - t0
      if (code !== 0) fail(new Error(`${args.join(' ')} exited ${code}: ${stderr}`))
      else ok({ first: Number.isNaN(first) ? exit : first, exit })
    }),
  )
}

async function measure(args: string[]): Promise<{ first: number; exit: number }> {
  const runs: { first: number; exit: number }[] = []
  for (let i = 0; i < RUNS; i++) runs.push(await time(args))
  return { first: median(runs.map((r) => r.first)), exit: median(runs.map((r) => r.exit)) }
}

async function main() {
  // The database, with its samples, exists before the measurement (as on a user's machine).
  const made = spawnSync(process.execPath, [CLI, 'db', 'info'], { env, encoding: 'utf8' })
  if (made.status !== 0) throw new Error(`wardeval db info exited ${made.status}: ${made.stderr}`)
  const node = await measure(['-e', 'process.stdout.write("")'])
  console.log(
    `load average ${loadavg()[0]!.toFixed(2)}; ${RUNS} runs each (median); node -e 0: ${node.exit.toFixed(0)} ms`,
  )
  console.log(`${'wardeval …'.padEnd(28)} first output   exit`)
  for (const args of COMMANDS) {
    const m = await measure([CLI, ...args])
    console.log(
      `${`wardeval ${args.join(' ')}`.padEnd(28)} ${m.first.toFixed(0).padStart(7)} ms ${m.exit.toFixed(0).padStart(6)} ms`,
    )
  }
}

main()
  .catch((e: unknown) => {
    console.error(e)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
