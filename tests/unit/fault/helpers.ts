import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import Database from 'better-sqlite3'
import { seededRng } from '../../../src/main/stats/random'

/** Shared by the fault-injection suite: child processes to kill, seeded moments, read-only looks. */

export const ROOT = resolve(__dirname, '../../..')

/** The CLI in a child process of its own (node with tsx's loader), so SIGKILL hits the process doing the work. */
export function spawnCli(
  dbPath: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): ChildProcess & { out: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/main/cli/main.ts'), '--db', dbPath, ...args],
    {
      cwd: ROOT,
      env: { ...process.env, WARDEVAL_NO_SAMPLES: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  return Object.assign(child, { out: () => out })
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })))
}

/**
 * Kills the child with SIGKILL as soon as `moment()` holds (polled every 5 ms). Returns false when
 * the child ended on its own first.
 */
export async function killWhen(
  child: ChildProcess,
  moment: () => boolean,
  timeoutMs = 60_000,
): Promise<boolean> {
  const exited = exitOf(child)
  let done = false
  void exited.then(() => (done = true))
  const until = Date.now() + timeoutMs
  while (!done && Date.now() < until && !moment()) await new Promise((r) => setTimeout(r, 5))
  if (done) return false
  child.kill('SIGKILL')
  const { signal } = await exited
  return signal === 'SIGKILL'
}

/** `n` distinct moments in [lo, hi), sorted, drawn with the seed: where the kills land. */
export function seededMoments(seed: number, label: string, n: number, lo: number, hi: number): number[] {
  const rng = seededRng(seed, label)
  const picked = new Set<number>()
  while (picked.size < n) picked.add(lo + rng.int(hi - lo))
  return [...picked].sort((a, b) => a - b)
}

/** Reads what is committed, through a connection of its own (as another process would). */
export function look<T>(dbPath: string, read: (db: Database.Database) => T): T {
  const db = new Database(dbPath, { readonly: true })
  try {
    return read(db)
  } finally {
    db.close()
  }
}

export function countOf(dbPath: string, sql: string, ...args: unknown[]): number {
  return look(dbPath, (db) => (db.prepare(sql).get(...args) as { n: number }).n)
}
