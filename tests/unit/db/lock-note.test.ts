import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockHolderText, lockNotePath, readLockNote, writeLockNote } from '../../../src/main/db/lock-note'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-note-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the lock-holder note', () => {
  it('says who holds the write lock while it is held, and is removed after', () => {
    const db = join(dir, 'w.db')
    expect(lockHolderText(db)).toBe('another process holds the database’s write lock')
    const remove = writeLockNote(db, 'an import of notes.csv')
    expect(readLockNote(db)).toMatchObject({ pid: process.pid, operation: 'an import of notes.csv' })
    expect(lockHolderText(db)).toMatch(
      /^an import of notes.csv \(pid \d+, since \d\d:\d\d:\d\d UTC\) holds the database’s write lock$/,
    )
    remove()
    expect(existsSync(lockNotePath(db))).toBe(false)
    expect(readLockNote(db)).toBeNull()
  })

  it('a note left by a process that is gone, or an unreadable one, is ignored', () => {
    const db = join(dir, 'w.db')
    const pid = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout,
    )
    writeFileSync(
      lockNotePath(db),
      JSON.stringify({ host: hostname(), pid, operation: 'an import', startedAt: new Date().toISOString() }),
    )
    expect(readLockNote(db)).toBeNull()
    writeFileSync(lockNotePath(db), '{"half')
    expect(readLockNote(db)).toBeNull()
  })
})
