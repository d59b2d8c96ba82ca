import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { COMMIT_WINDOW_MS, CommitQueue } from '../../../src/main/dispatch/commits'
import { openDatabase, type Db } from '../../../src/main/db/open'

/** The dispatcher's group commit: results arriving close together share one transaction. */
describe('CommitQueue', () => {
  let dir: string
  let db: Db
  let transactions: number
  let queue: CommitQueue

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wardeval-commits-'))
    db = openDatabase(join(dir, 'c.db'))
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)')
    transactions = 0
    // Counts the transactions the queue opens on the connection.
    const counted = new Proxy(db, {
      get(target, prop, receiver) {
        if (prop === 'transaction')
          return (fn: () => unknown) => {
            const tx = target.transaction(fn)
            const run = () => {
              transactions++
              return tx()
            }
            return Object.assign(run, { immediate: () => (transactions++, tx.immediate()) })
          }
        const v = Reflect.get(target, prop, receiver) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    queue = new CommitQueue(counted, {
      label: 'Test',
      onWaitChange: () => undefined,
      onGiveUp: () => undefined,
      active: () => true,
    })
  })
  afterEach(() => {
    queue.close()
    db.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const insert = (v: number) => () => db.prepare('INSERT INTO t (v) VALUES (?)').run(v).changes

  it('commits results that arrive within the window in one transaction, and only then resolves', async () => {
    let resolved = 0
    const first = queue.commit(insert(1)).then(() => resolved++)
    await new Promise((r) => setImmediate(r))
    expect(resolved).toBe(0) // still waiting for company
    const rest = [2, 3, 4].map((v) => queue.commit(insert(v)).then(() => resolved++))
    await Promise.all([first, ...rest])
    expect(resolved).toBe(4)
    expect(transactions).toBe(1)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 4 })
  })

  it('results further apart than the window commit separately', async () => {
    await queue.commit(insert(1))
    await new Promise((r) => setTimeout(r, COMMIT_WINDOW_MS * 5))
    await queue.commit(insert(2))
    expect(transactions).toBe(2)
  })

  it('a full batch commits at once, without waiting out the window', async () => {
    const writes = Array.from({ length: 256 }, (_, i) => queue.commit(insert(i)))
    await Promise.all(writes)
    expect(transactions).toBe(1)
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 256 })
  })

  it('closing commits what is still in the window, never drops it', async () => {
    const pending = queue.commit(insert(7))
    queue.close()
    await pending
    expect(db.prepare('SELECT v FROM t').all()).toEqual([{ v: 7 }])
  })

  it('a write that changes no row fails alone; the others in its batch commit', async () => {
    const outcomes = await Promise.allSettled([
      queue.commit(insert(1)),
      queue.commit(() => 0),
      queue.commit(insert(3)),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(db.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 1 }, { v: 3 }])
  })
})
