import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppContext } from '../../../src/main/app/context'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-ctx-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('AppContext', () => {
  it('checkpoints the WAL off the commit path, and empties it on close', async () => {
    const file = join(dir, 'w.db')
    const ctx = createAppContext({ dbPath: file, env: { WARDEVAL_NO_SAMPLES: '1' } })
    expect(ctx.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
    const insert = ctx.db.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 'now')")
    const before = statSync(file).size
    for (let i = 0; i < 200; i++) insert.run(`k${i}`, 'x'.repeat(10_000))
    // Committed to the WAL only: no commit checkpointed into the database file.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(2_000_000)
    expect(statSync(file).size).toBe(before)
    // The background checkpoint copies the WAL into the database within a second or so.
    await new Promise((r) => setTimeout(r, 1500))
    expect(statSync(file).size).toBeGreaterThan(before + 2_000_000)
    ctx.close()
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true)
  })

  it('finds the shipped resources folder', () => {
    const ctx = createAppContext({ dbPath: ':memory:', env: { WARDEVAL_NO_SAMPLES: '1' } })
    expect(existsSync(join(ctx.resourcesDir, 'taxonomy.json'))).toBe(true)
    ctx.close()
  })
})
