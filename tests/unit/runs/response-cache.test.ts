import { describe, expect, it } from 'vitest'
import { resumeRun, startNewRun } from '../../../src/main/runs/control'
import { runSummary } from '../../../src/main/runs/store'
import { isActive } from '../../../src/main/runs/executions'
import { goldServerWorld } from './gold-world'
import { count, importPack, mcInstances, mcManifest } from './helpers'

/**
 * The response cache is read per item but written when an execution ends (and when a run is
 * taken up again), in key order: src/main/runs/response-cache.ts.
 */

const world = goldServerWorld()
const MODEL = 'ollama/llama3.2:3b'
const chats = () => world.fake.requests.filter((r) => r.path === '/api/chat').length
const cached = () => count(world.ctx, 'SELECT COUNT(*) AS n FROM response_cache')

describe('response cache', () => {
  it('holds every answer of a finished run under its request’s key, pointing at its response', async () => {
    await importPack(world.ctx, world.ctx.dir, mcManifest('mc_a'), mcInstances(12))
    const { execution } = await startNewRun(world.ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await execution.done).toBe('completed')
    expect(cached()).toBe(12)
    // Each entry is the key recorded with the request and the response that request received.
    expect(
      count(
        world.ctx,
        `SELECT COUNT(*) AS n FROM response_cache c JOIN responses r ON r.id = c.response_id
         JOIN requests q ON q.id = r.request_id WHERE q.cache_key = c.cache_key`,
      ),
    ).toBe(12)
  })

  it('a run that ended with failures caches what was answered; its resume caches the rest', async () => {
    await importPack(world.ctx, world.ctx.dir, mcManifest('mc_a'), mcInstances(10))
    const refuse = world.fake.inject({
      match: (r) => /Question [15]:/.test(JSON.stringify(r.body)),
      fault: { type: 'status', status: 500 },
    })
    const first = await startNewRun(world.ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { maxAttempts: 1, backoffMs: 1 },
    })
    expect(await first.execution.done).toBe('failed')
    expect(runSummary(world.ctx.db, first.runId, isActive(world.ctx.db)).counts).toMatchObject({
      done: 8,
      failed: 2,
    })
    expect(cached()).toBe(8)
    refuse()
    expect(await resumeRun(world.ctx, first.runId).done).toBe('completed')
    expect(cached()).toBe(10)
    // A new run of the same model and benchmark asks nothing.
    world.fake.reset()
    const again = await startNewRun(world.ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await again.execution.done).toBe('completed')
    expect(chats()).toBe(0)
  })

  it('answers left out of the cache by an execution that never ended are entered when the run is taken up again', async () => {
    await importPack(world.ctx, world.ctx.dir, mcManifest('mc_a'), mcInstances(6))
    const first = await startNewRun(world.ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { maxAttempts: 1, backoffMs: 1 },
    })
    expect(await first.execution.done).toBe('completed')
    // As after a process killed mid-run: answers committed, the cache never written, the run
    // not completed (one item pending again).
    world.ctx.db.exec('DELETE FROM response_cache')
    world.ctx.db
      .prepare(
        "UPDATE run_items SET status = 'pending', response_id = NULL WHERE id = (SELECT MAX(id) FROM run_items WHERE run_id = ?)",
      )
      .run(first.runId)
    world.ctx.db.prepare("UPDATE runs SET status = 'paused' WHERE id = ?").run(first.runId)
    expect(await resumeRun(world.ctx, first.runId).done).toBe('completed')
    expect(cached()).toBe(6)
  })

  it('a run with the cache off neither reads nor fills it', async () => {
    await importPack(world.ctx, world.ctx.dir, mcManifest('mc_a'), mcInstances(5))
    const off = await startNewRun(world.ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { useCache: false },
    })
    expect(await off.execution.done).toBe('completed')
    expect(cached()).toBe(0)
    const on = await startNewRun(world.ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await on.execution.done).toBe('completed')
    expect(chats()).toBe(10)
    expect(cached()).toBe(5)
    const off2 = await startNewRun(world.ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { useCache: false },
    })
    expect(await off2.execution.done).toBe('completed')
    expect(chats()).toBe(15)
  })

  it('two items of one run with the same prompt are both asked (the cache serves later runs)', async () => {
    const twin = mcInstances(1)[0]!
    await importPack(world.ctx, world.ctx.dir, mcManifest('mc_a'), [twin, { ...twin, id: 'twin' }])
    const { runId, execution } = await startNewRun(world.ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { concurrency: 1 },
    })
    expect(await execution.done).toBe('completed')
    expect(chats()).toBe(2)
    expect(runSummary(world.ctx.db, runId, isActive(world.ctx.db)).counts).toMatchObject({
      done: 2,
      cached: 0,
    })
    // One key, the first answer kept; a later run answers both items from it.
    expect(cached()).toBe(1)
    world.fake.reset()
    const again = await startNewRun(world.ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await again.execution.done).toBe('completed')
    expect(chats()).toBe(0)
    expect(runSummary(world.ctx.db, again.runId, isActive(world.ctx.db)).counts).toMatchObject({
      done: 2,
      cached: 2,
    })
  })
})
