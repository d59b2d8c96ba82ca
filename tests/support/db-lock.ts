import { spawn } from 'node:child_process'
import { join, resolve } from 'node:path'

const ROOT = resolve(__dirname, '../..')

/**
 * Another process holds the database's write lock for `ms`, as a long import does, with its
 * lock-holder note naming `operation` (./hold-db-lock.ts). `locked` resolves once it holds the
 * lock; `released` with everything it printed once it has let go and exited.
 */
export function holdDbLock(
  dbPath: string,
  ms: number,
  operation: string,
): { locked: Promise<void>; released: Promise<string> } {
  const holder = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'tests/support/hold-db-lock.ts'), dbPath, String(ms), operation],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  let onLocked = () => {}
  const locked = new Promise<void>((r) => (onLocked = r))
  holder.stdout.on('data', (b: Buffer) => {
    out += b.toString()
    if (out.startsWith('locked')) onLocked()
  })
  const released = new Promise<string>((r) => holder.on('exit', () => r(out)))
  return { locked, released }
}
