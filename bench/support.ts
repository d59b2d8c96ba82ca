import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

/** What the benches share: arguments, sizes, the fake server in its own process, a request loop. */

export const ROOT = resolve(__dirname, '..')
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`

/** Starts `file --serve` (a fake server printing `{"url": …}` on its first line). */
export function startServer(file: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(TSX, [file, '--serve'], { stdio: ['pipe', 'pipe', 'inherit'], cwd: ROOT })
  return new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (l) => ok({ url: (JSON.parse(l) as { url: string }).url, child }))
    child.once('exit', (code) => fail(new Error(`fake server exited (${code})`)))
  })
}

/** Calls `task(i)` for i < n with `concurrency` in flight; returns the rate per second. */
export async function ratePerSecond(n: number, concurrency: number, task: (i: number) => Promise<unknown>) {
  let next = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await task(next++)
    }),
  )
  return n / ((performance.now() - t0) / 1000)
}

/**
 * Warm-up, measured by no figure: `--warm-up N` (default 1,000) calls of `transport`, so the path
 * the engine and the transport share (egress guard, audit log, HTTP client, sockets) is compiled and
 * its modules loaded before the first measurement — the engine, measured first, does not pay the
 * process's start-up that the transport figure, measured after it, would not. Returns N.
 */
export async function warmUp(concurrency: number, transport: (i: number) => Promise<unknown>) {
  const n = arg('--warm-up', 1000)
  await ratePerSecond(n, concurrency, transport)
  return n
}

/** Runs `work` and measures it: wall seconds, this process's CPU, and peak RSS sampled every 100 ms. */
export async function measured<T>(work: () => Promise<T>) {
  let peakRss = 0
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100)
  const cpu0 = process.cpuUsage()
  const started = performance.now()
  try {
    const result = await work()
    return { result, seconds: (performance.now() - started) / 1000, cpu: process.cpuUsage(cpu0), peakRss }
  } finally {
    clearInterval(sampler)
  }
}

/** The median of a list of figures (the middle one, or the mean of the two middle ones). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/**
 * How long `node -e 0` takes here now (median of `runs`, ms): how fast this machine is at the
 * moment. On a shared machine it varies by half within an hour, and every figure with it.
 */
export function nodeStartMs(runs = 9): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, ['-e', '0'])
    if (r.status !== 0) throw new Error(`node -e 0 exited ${r.status}`)
    times.push(performance.now() - t0)
  }
  return median(times)
}
