import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importRatings } from '../../../src/main/review/import-csv'
import { tempContext, type TempContext } from '../../support/context'
import type { FakeOllama } from '../../support/fake-ollama'
import { CRITERIA, scoredRun, startFake } from './helpers'

/**
 * The ratings import streams its file in 1 MiB chunks: rows, quoted fields and multi-byte
 * characters that straddle chunk boundaries are read whole, and a bad row after megabytes of good
 * ones is named by line and field with nothing written.
 */

let ctx: TempContext
let fake: FakeOllama
let items: number[]

const REVIEWERS = 120
const count = (sql: string) => ctx.db.prepare(sql).pluck().get() as number

beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await scoredRun(ctx, ctx.dir, 4)
  items = ctx.db.prepare('SELECT id FROM run_items ORDER BY id').pluck().all() as number[]
}, 60_000)
afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

/** Rows of REVIEWERS reviewers × every item × criterion, each with a ~1 KB comment of multi-byte text. */
function lines(): string[] {
  const out = ['reviewer,item,criterion,score,comment']
  for (let r = 0; r < REVIEWERS; r++)
    for (const item of items)
      for (const c of CRITERIA)
        out.push(`Dr R${r},${item},${c},${1 + ((r + item) % 5)},"Fièvre — ""ok"", ${'é'.repeat(500)}\n${r}"`)
  return out
}

describe('review import of a multi-megabyte file', () => {
  it('names a bad row after megabytes of good ones, and writes nothing', async () => {
    const rows = lines()
    rows.push(`Dr R1,${items[0]},clarity,9,`)
    const path = join(ctx.dir, 'big-bad.csv')
    writeFileSync(path, rows.join('\n') + '\n')
    // Each comment spans two lines, so the bad row starts on line 2 × (rows before it) + 1 - 1.
    const line = 1 + 2 * (rows.length - 2) + 1
    await expect(importRatings(ctx.db, path)).rejects.toThrow(
      new RegExp(`big-bad\\.csv line ${line}, score: "9" is not a whole number from 1 to 5`),
    )
    // The same row rated twice, megabytes apart: the earlier line is named.
    rows[rows.length - 1] = `Dr R0,${items[0]},${CRITERIA[0]},3,`
    writeFileSync(path, rows.join('\n') + '\n')
    await expect(importRatings(ctx.db, path)).rejects.toThrow(
      new RegExp(`line ${line}, criterion: Dr R0 already rated item ${items[0]} on accuracy at line 2`),
    )
    expect(count('SELECT COUNT(*) FROM ratings')).toBe(0)
    expect(count('SELECT COUNT(*) FROM reviewers')).toBe(0)
  })

  it('imports every row whole, comments included, recording the OS user and the source', async () => {
    const path = join(ctx.dir, 'big.csv')
    writeFileSync(path, lines().join('\r\n') + '\r\n')
    const r = await importRatings(ctx.db, path, {}, 'coordinator')
    expect(r).toMatchObject({ rows: REVIEWERS * items.length * 3, items: items.length, replaced: 0 })
    expect(r.createdReviewers).toHaveLength(REVIEWERS)
    expect(count('SELECT COUNT(*) FROM ratings')).toBe(REVIEWERS * items.length * 3)
    const comment = ctx.db
      .prepare(
        "SELECT comment FROM ratings r JOIN reviewers v ON v.id = r.reviewer_id WHERE v.name = 'Dr R77' LIMIT 1",
      )
      .pluck()
      .get()
    expect(comment).toBe(`Fièvre — "ok", ${'é'.repeat(500)}\n77`)
    expect(ctx.db.prepare('SELECT DISTINCT os_user, source FROM ratings').all()).toEqual([
      { os_user: 'coordinator', source: 'csv' },
    ])
  })
})
