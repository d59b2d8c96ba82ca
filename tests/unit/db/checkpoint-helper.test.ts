import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { sourceWorkerScripts } from '../../../src/main/app/worker-scripts'
import {
  HELPER_PRIORITY,
  startCheckpointHelper,
  threadPriorityIsOwn,
} from '../../../src/main/db/checkpoint-helper'
import { openDatabase, type Db } from '../../../src/main/db/open'

/**
 * The checkpoint helper of a bulk import (src/main/db/checkpoint-helper.ts): a thread of the
 * lowest priority that copies the WAL back into the database file while the writer keeps writing.
 */

const SCRIPT = sourceWorkerScripts().checkpoints
const BUILT = resolve('out/main/checkpoint-worker.js')
const linux = process.platform === 'linux'

/** Nice values of this process's threads other than the main one (Linux /proc). */
function otherThreadsNice(): number[] {
  return readdirSync('/proc/self/task')
    .filter((tid) => tid !== String(process.pid))
    .map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]))
}

describe('checkpoint helper', () => {
  let dir: string
  let path: string
  let db: Db

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardeval-ckpt-helper-'))
    path = join(dir, 'h.db')
    db = openDatabase(path)
    db.pragma('wal_autocheckpoint = 0') // only the helper copies the WAL back
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)')
  })
  afterEach(() => {
    if (db.open) db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it.runIf(linux).each([
    ['its source', SCRIPT],
    [
      'the bundle the app and the CLI run (out/main/checkpoint-worker.js)',
      existsSync(BUILT) ? BUILT : SCRIPT,
    ],
  ])(
    'copies the WAL back while the writer keeps committing, from a thread at the lowest priority (%s)',
    async (_name, script) => {
      const helper = startCheckpointHelper(script, { dbPath: path }, { everyMs: 20 })
      expect(helper).not.toBeNull()
      const before = statSync(path).size
      const ins = db.prepare('INSERT INTO t (v) VALUES (?)')
      let seenNice = false
      const deadline = Date.now() + 15_000
      let n = 0
      // The writer never checkpoints (autocheckpoint off, no timer): the file grows only through the helper.
      while (statSync(path).size <= before + 256 * 1024 && Date.now() < deadline) {
        db.transaction(() => {
          for (let i = 0; i < 50; i++) ins.run('x'.repeat(400))
        })()
        n += 50
        seenNice ||= otherThreadsNice().includes(HELPER_PRIORITY)
        await new Promise((r) => setTimeout(r, 5))
      }
      expect(statSync(path).size).toBeGreaterThan(before + 256 * 1024)
      expect(seenNice).toBe(true)
      expect(await helper!.stop()).toBeNull()
      // The main thread's own priority is untouched.
      expect(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]).toBe('0')
      expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n })
    },
    30_000,
  )

  it('is not started without its script, for an in-memory database, or where a thread has no priority of its own', () => {
    expect(startCheckpointHelper(undefined, { dbPath: path })).toBeNull()
    expect(startCheckpointHelper(SCRIPT, { dbPath: ':memory:' })).toBeNull()
    for (const platform of ['win32', 'darwin'] as const) {
      expect(threadPriorityIsOwn(platform)).toBe(false)
      expect(startCheckpointHelper(SCRIPT, { dbPath: path }, { platform })).toBeNull()
    }
    expect(threadPriorityIsOwn('linux')).toBe(true)
  })

  it.runIf(linux)('reports why it stopped when it cannot work (the database file is gone)', async () => {
    const helper = startCheckpointHelper(SCRIPT, { dbPath: join(dir, 'missing.db') }, { everyMs: 20 })
    const problem = await helper!.stop()
    expect(problem).toMatch(/^the checkpoint helper stopped: .*/)
    expect(problem).toMatch(/unable to open|ENOENT|no such file/i)
  })
})
