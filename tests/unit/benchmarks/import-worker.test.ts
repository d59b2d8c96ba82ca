import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runImport, startImport } from '../../../src/main/benchmarks/import'
import { rowsInWorker, startImportWorker, type ToWorker } from '../../../src/main/benchmarks/worker-rows'
import { AppError } from '../../../src/main/errors'
import type { TempContext } from '../../support/context'
import { FIXTURES, benchCtx, snapshot, tempDir } from './helpers'

/**
 * A file import reads, parses and validates in the import worker (src/main/benchmarks/import-worker.ts)
 * and stores on the calling thread. These tests pin what crosses between the two.
 */

let ctx: TempContext
let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  ctx = benchCtx()
  tmp = tempDir()
})
afterEach(() => {
  ctx.dispose()
  tmp.dispose()
})

const PLACE = { subcategory: 'planning_treatments' }
const BUNDLED = resolve('out/main/import-worker.js')

function csv(rows: number): string {
  const p = join(tmp.dir, 'rows.csv')
  const lines = ['id,question,answer,ward']
  for (let i = 1; i <= rows; i++) lines.push(`r${i},"Question ${i}, with a comma",answer ${i % 7},W${i % 3}`)
  writeFileSync(p, lines.join('\n') + '\n')
  return p
}

describe('import worker', () => {
  it('streams thousands of rows across the thread boundary in file order, with progress to the last byte', async () => {
    const path = csv(4321)
    const bytes: number[] = []
    const r = await runImport(
      ctx,
      { format: 'csv', path, settings: PLACE },
      { onProgress: (p) => bytes.push(p.bytes) },
    )
    expect(r.instanceCount).toBe(4321)
    const rows = ctx.db
      .prepare('SELECT ordinal, ext_id AS id, input, metadata_json AS meta FROM instances ORDER BY ordinal')
      .all() as { ordinal: number; id: string; input: string; meta: string }[]
    expect(rows).toHaveLength(4321)
    expect(rows[0]).toEqual({
      ordinal: 0,
      id: 'r1',
      input: 'Question 1, with a comma',
      meta: '{"ward":"W1"}',
    })
    expect(rows[4320]!.id).toBe('r4321')
    expect(rows.every((row, i) => row.ordinal === i && row.id === `r${i + 1}`)).toBe(true)
    expect(bytes.at(-1)).toBeGreaterThan(0)
  })

  it('a split shared by a whole batch crosses once and reaches every row; mixed splits cross row by row', async () => {
    // 2,500 rows: the first batch of 1,000 all "train", the second all "dev", the third mixed.
    const p = join(tmp.dir, 'splits.csv')
    const split = (i: number) => (i <= 1000 ? 'train' : i <= 2000 ? 'dev' : i % 2 ? 'train' : 'test')
    const lines = ['id,question,answer,part']
    for (let i = 1; i <= 2500; i++) lines.push(`r${i},Question ${i},answer,${split(i)}`)
    writeFileSync(p, lines.join('\n') + '\n')
    const r = await runImport(ctx, {
      format: 'csv',
      path: p,
      settings: PLACE,
      map: { id: 'id', input: 'question', reference: 'answer', split: 'part' },
    })
    expect(r.instanceCount).toBe(2500)
    const rows = ctx.db.prepare('SELECT ext_id AS id, split FROM instances ORDER BY ordinal').all() as {
      id: string
      split: string
    }[]
    expect(rows.map((row) => row.split)).toEqual(Array.from({ length: 2500 }, (_, i) => split(i + 1)))
  })

  it('a worker that cannot start fails the import with its reason and leaves the database as it was', async () => {
    const before = snapshot(ctx.db)
    ctx.workers = { import: join(tmp.dir, 'missing-worker.js') }
    const e = await runImport(ctx, { format: 'csv', path: csv(3), settings: PLACE }).catch(
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message).toMatch(/missing-worker\.js/)
    expect(snapshot(ctx.db)).toEqual(before)
  })

  it('errors raised in the worker arrive as the same AppError: code, message naming file and line, issues', async () => {
    const p = join(tmp.dir, 'bad.csv')
    writeFileSync(p, 'question,answer\nq1,a\nq2,\nq3,\n')
    const e = (await runImport(ctx, { format: 'csv', path: p, settings: PLACE }).catch(
      (err: unknown) => err,
    )) as AppError
    expect(e).toBeInstanceOf(AppError)
    expect(e.code).toBe('bad_data')
    expect(e.message).toMatch(/^bad\.csv line 3: field "reference answers": has none/)
    expect(e.issues?.map((i) => i.path.slice(0, 2))).toEqual([
      ['bad.csv', 3],
      ['bad.csv', 4],
    ])
  })

  it.skipIf(!existsSync(BUNDLED))(
    'the bundled worker the app runs (out/main/import-worker.js) imports exactly what the source does',
    async () => {
      const source = await runImport(ctx, {
        format: 'csv',
        benchmarkId: 'src',
        path: csv(500),
        settings: PLACE,
      })
      ctx.workers = { import: BUNDLED }
      const built = await runImport(ctx, {
        format: 'csv',
        benchmarkId: 'built',
        path: csv(500),
        settings: PLACE,
      })
      const pack = await runImport(ctx, { format: 'pack', path: join(FIXTURES, 'triage-pack') })
      expect(built.contentHash).toBe(source.contentHash)
      expect(built.instanceCount).toBe(500)
      expect(pack.instanceCount).toBeGreaterThan(0)
    },
  )

  it('the event loop keeps turning while batches wait (timers and other requests are not held up by a long import)', async () => {
    const path = csv(30_000)
    const rows = await rowsInWorker(ctx.workers.import, {
      format: 'csv',
      path,
      options: { settings: { id: 'yield_csv', ...PLACE } },
    })
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const during: number[] = []
    let batches = 0
    try {
      for await (const batch of rows.batches) {
        // A slow store: the worker stays ahead, so the next batch is always waiting already.
        const until = performance.now() + 3
        while (performance.now() < until);
        if (batches++ > 0) during.push(ticks)
        expect(batch.lines.length).toBeGreaterThan(0)
      }
    } finally {
      clearInterval(timer)
      rows.close()
    }
    expect(batches).toBe(30)
    // Between the first and the last batch the timer ran, more than once, though no batch waited.
    expect(during.at(-1)! - during[0]!).toBeGreaterThan(2)
  })

  it('a worker started before its job is known (as the CLI starts one) reads the same rows', async () => {
    const path = csv(2500)
    const early = startImportWorker(ctx.workers.import)
    await new Promise((r) => setTimeout(r, 50)) // it starts while nothing is asked of it
    const started = startImport(ctx, { format: 'csv', benchmarkId: 'early', path, settings: PLACE }, early)
    const a = await runImport(
      ctx,
      { format: 'csv', benchmarkId: 'early', path, settings: PLACE },
      { started },
    )
    const b = await runImport(ctx, { format: 'csv', benchmarkId: 'late', path, settings: PLACE })
    expect(a.instanceCount).toBe(2500)
    expect(a.contentHash).toBe(b.contentHash)
  })

  it.runIf(process.platform === 'linux')(
    'an import started and then abandoned (its database could not be opened) stops its worker thread',
    async () => {
      const threads = () => readdirSync('/proc/self/task').length
      const before = threads()
      const started = startImport(ctx, { format: 'csv', path: csv(20_000), settings: PLACE })
      await started.reading
      expect(threads()).toBeGreaterThan(before)
      started.abandon()
      const deadline = Date.now() + 10_000
      while (threads() > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      expect(threads()).toBe(before)
    },
  )

  it('a started import hands the worker its job, the file state taken first, before the caller blocks its thread', async () => {
    const path = csv(3000)
    const early = startImportWorker(ctx.workers.import)
    const posted: ToWorker[] = []
    const watched = { ...early, post: (m: ToWorker) => (posted.push(m), early.post(m)) }
    const req = { format: 'csv', benchmarkId: 'handed', path, settings: PLACE }
    const started = startImport(ctx, req, watched)
    expect(posted).toEqual([]) // the file's state is taken (asynchronously) before the worker reads it
    await started.handedOver
    expect(posted).toEqual([{ type: 'job', job: expect.objectContaining({ format: 'csv', path }) }])
    const r = await runImport(ctx, req, { started })
    expect(r.instanceCount).toBe(3000)
  })

  it('a started import that fails before its worker has the job still says it is handed over (no caller waits forever)', async () => {
    const started = startImport(ctx, {
      format: 'csv',
      path: csv(10),
      settings: { ...PLACE, catalog: 'no_such_benchmark' },
    })
    await started.handedOver
    await expect(started.reading).rejects.toThrow(/--catalog: "no_such_benchmark"/)
    started.abandon()
  })

  it('a started import that fails is reported when it is stored, not as an unhandled rejection before', async () => {
    const started = startImport(ctx, { format: 'csv', path: join(tmp.dir, 'missing.csv'), settings: PLACE })
    await new Promise((r) => setTimeout(r, 100)) // the failure happens while nobody awaits it
    const e = await runImport(ctx, { format: 'csv', path: 'unused', settings: PLACE }, { started }).catch(
      (err: unknown) => err,
    )
    expect(e).toBeInstanceOf(Error)
    expect((e as Error).message).toMatch(/missing\.csv/)
  })
})
