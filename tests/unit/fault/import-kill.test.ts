import { existsSync, mkdtempSync, rmSync, truncateSync } from 'node:fs'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppContext } from '../../../src/main/app/context'
import { runImport } from '../../../src/main/benchmarks/import'
import { seededRng } from '../../../src/main/stats/random'
import type { ImportRequest } from '../../../src/shared/api/benchmarks'
import { committed, exited, importInChild, sleep, writeExtract } from './import-support'

/**
 * Fault injection, import side (issue 13, point 13): a CLI import in a child process is killed
 * with SIGKILL at seeded moments — before it writes, at seeded fractions of its rows, after it
 * made the version visible — and what it leaves is either no trace or the whole result. Importing
 * again afterwards gives exactly the file's rows and the same content hash. A file truncated while
 * the child imports it fails the import and leaves nothing.
 */

const ROWS = 60_000
const SEED = 13

let dir: string
let csv: string
let expectedHash: string

const request = (path: string): ImportRequest => ({
  format: 'csv',
  path,
  benchmarkId: 'fault_extract',
  map: { input: 'note+question', reference: 'answer', id: 'encounter_id' },
  settings: { subcategory: 'supporting_diagnostic_decisions', taskType: 'open_ended' },
})

function context(dbPath: string) {
  return createAppContext({ dbPath, env: { WARDEVAL_NO_SAMPLES: '1' } })
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-fault-import-'))
  csv = join(dir, 'extract.csv')
  writeExtract(csv, ROWS)
  const ref = context(join(dir, 'reference.db'))
  try {
    expectedHash = (await runImport(ref, request(csv))).contentHash
  } finally {
    ref.close()
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Moment = { label: string; when: (dbPath: string) => boolean; midImport?: boolean }

/** Kill moments: seeded fractions of the rows committed (staged), plus the edges. */
function moments(): Moment[] {
  const rng = seededRng(SEED, 'import-kill')
  const staged = (f: number): Moment => ({
    label: `${Math.round(f * 100)}% of the rows staged`,
    when: (db) => committed(db).instances >= f * ROWS,
    midImport: true,
  })
  return [
    { label: 'before any row is written', when: () => true },
    ...Array.from({ length: 3 }, () => staged(0.05 + rng.next() * 0.9)),
    { label: 'just after the version became visible', when: (db) => committed(db).versions.length > 0 },
  ]
}

describe('an import killed with SIGKILL', () => {
  let n = 0
  for (const moment of moments())
    it(
      `${moment.label}: leaves no trace or the whole result; importing again gives the exact rows`,
      { timeout: 120_000 },
      async () => {
        const dbPath = join(dir, `kill-${n++}.db`)
        context(dbPath).close() // the schema exists before the child starts
        const child = importInChild(dbPath, csv)
        const done = exited(child)
        let finished = false
        void done.then(() => (finished = true))
        while (!finished && !moment.when(dbPath)) await sleep(5)
        child.kill('SIGKILL')
        await done

        // What any reader sees right after the kill: nothing, or the whole version.
        const seen = committed(dbPath)
        expect(
          seen.versions.length === 0 ||
            (seen.versions[0]!.n === ROWS && seen.versions[0]!.hash === expectedHash),
        ).toBe(true)

        // The next open removes a dead import's staged rows: no trace, or exactly the whole result.
        const ctx = context(dbPath)
        try {
          const after = committed(dbPath)
          expect(after.staging).toBe(0)
          if (after.versions.length === 0)
            expect(after).toEqual({ instances: 0, staging: 0, versions: [], benchmarks: 0 })
          else
            expect(after).toEqual({
              instances: ROWS,
              staging: 0,
              versions: [{ hash: expectedHash, n: ROWS }],
              benchmarks: 1,
            })

          const again = await runImport(ctx, request(csv))
          expect(again).toMatchObject({
            instanceCount: ROWS,
            contentHash: expectedHash,
            alreadyImported: after.versions.length === 1,
          })
          expect(committed(dbPath)).toEqual({
            instances: ROWS,
            staging: 0,
            versions: [{ hash: expectedHash, n: ROWS }],
            benchmarks: 1,
          })
        } finally {
          ctx.close()
        }
      },
    )
})

describe('a file truncated while a child process imports it', () => {
  it('fails the import with a clear message and leaves nothing', { timeout: 120_000 }, async () => {
    const file = join(dir, 'shrinking.csv')
    writeExtract(file, ROWS)
    const text = readFileSync(file, 'utf8')
    const cut = text.indexOf('\n', Math.floor(text.length * 0.7)) + 1
    const dbPath = join(dir, 'truncated.db')
    context(dbPath).close()
    const child = importInChild(dbPath, file)
    const done = exited(child)
    let finished = false
    void done.then(() => (finished = true))
    while (!finished && !(existsSync(dbPath) && committed(dbPath).instances > 0)) await sleep(2)
    truncateSync(file, cut)
    const code = await done
    expect(code).toBe(1)
    expect(child.output()).toMatch(
      /shrinking\.csv was truncated \(.*\) while it was being imported; nothing was imported/,
    )
    expect(child.output()).not.toMatch(/\n\s+at /) // one clear line, no stack trace
    expect(committed(dbPath)).toEqual({ instances: 0, staging: 0, versions: [], benchmarks: 0 })
  })
})
