import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppContext } from '../../../src/main/app/context'
import { committed, exited, importInChild, writeExtract } from './import-support'

/**
 * The same file imported twice at once, by two processes (issue 13, point 9): one imports it, the
 * other waits for it and reports "already imported" — never a UNIQUE-constraint error.
 */

const ROWS = 40_000
let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-fault-twice-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('two processes importing the same file at once', () => {
  it('one imports it, the other reports "already imported"', { timeout: 180_000 }, async () => {
    const csv = join(dir, 'same.csv')
    writeExtract(csv, ROWS)
    const dbPath = join(dir, 'twice.db')
    createAppContext({ dbPath, env: { WARDEVAL_NO_SAMPLES: '1' } }).close()
    const a = importInChild(dbPath, csv)
    const b = importInChild(dbPath, csv)
    const codes = await Promise.all([exited(a), exited(b)])
    const outputs = [a.output(), b.output()]
    expect(codes, outputs.join('\n---\n')).toEqual([0, 0])
    expect(outputs.join('\n')).not.toMatch(/UNIQUE|constraint|database is locked/i)
    const imported = outputs.filter((o) => /^Imported: fault_extract/m.test(o))
    const already = outputs.filter((o) => /^Already imported \(nothing written\): fault_extract/m.test(o))
    expect([imported.length, already.length]).toEqual([1, 1])
    const hashes = outputs.map((o) => /Hash:\s+sha256:([0-9a-f]{64})/.exec(o)?.[1])
    expect(hashes[0]).toBe(hashes[1])
    expect(committed(dbPath)).toEqual({
      instances: ROWS,
      staging: 0,
      versions: [{ hash: hashes[0], n: ROWS }],
      benchmarks: 1,
    })
  })
})
