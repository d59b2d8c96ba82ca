import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { addEndpoint } from '../../../src/main/models/endpoints'
import { startNewRun } from '../../../src/main/runs/control'
import { isActive } from '../../../src/main/runs/executions'
import { runDetail, runSummary } from '../../../src/main/runs/store'
import type { RunProgress } from '../../../src/shared/api/runs'
import { startFakeOllama, type FakeChatRequest, type FakeOllama } from '../../support/fake-ollama'
import { runCliCaptured } from '../../support/cli'
import { holdDbLock } from '../../support/db-lock'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from './helpers'

/**
 * What the fault-injection pass found in the run engine: pools that die with one endpoint,
 * model-specific failures taking a whole endpoint out, failure messages naming the wrong model,
 * retries nobody saw, and a run failed by another process's write lock.
 */

const MODEL = 'ollama/llama3.2:3b'
let ctx: TempContext
let fake: FakeOllama
let second: FakeOllama | null = null

beforeEach(async () => {
  fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
  await second?.close().catch(() => undefined)
  second = null
})

const chatsOf = (f: FakeOllama, model?: string) =>
  f.requests.filter(
    (r) => r.path === '/api/chat' && (model === undefined || (r.body as { model?: string }).model === model),
  )
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('pools', () => {
  it('survive an endpoint’s death: its queued and in-flight items move to the other endpoint and the run completes', async () => {
    await importPack(ctx, ctx.dir, mcManifest('pool_mc'), mcInstances(200))
    const slow = async (req: FakeChatRequest) => {
      await sleep(5)
      return goldOf(req.lastUser)
    }
    fake.answer(slow)
    second = await startFakeOllama({ answer: slow })
    addEndpoint(ctx, { name: 'lab2', url: second.url, kind: 'ollama' }, 'tester')
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['pool_mc'],
      models: [MODEL, 'lab2/llama3.2:3b'],
      settings: { concurrency: 4, maxAttempts: 2, backoffMs: 5, timeoutMs: 2000 },
    })
    const dying = second
    while (chatsOf(dying).length < 20) await sleep(5)
    await dying.close() // connections cut mid-answer, new ones refused
    expect(await execution.done).toBe('completed')
    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.counts).toMatchObject({ total: 200, done: 200, failed: 0 })
    expect(s.error).toBeNull()
    // Every request sent is reported, those that failed by kind.
    expect(s.requests.answered).toBe(200)
    expect(s.requests.failed).toBeGreaterThan(0)
    expect(s.requests.sent).toBe(200 + s.requests.failed)
    expect(s.requests.failedByKind.map((k) => k.kind)).toEqual(['connection failed'])
    const detail = runDetail(ctx.db, runId, isActive(ctx.db))
    expect(detail.failedRequests.every((f) => f.endpoint === 'lab2')).toBe(true)
  })

  it('survive an endpoint that stops answering without closing: its hanging requests move on after the time limit', async () => {
    await importPack(ctx, ctx.dir, mcManifest('hang_mc'), mcInstances(80))
    second = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
    addEndpoint(ctx, { name: 'lab2', url: second.url, kind: 'ollama' }, 'tester')
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['hang_mc'],
      models: [MODEL, 'lab2/llama3.2:3b'],
      settings: { concurrency: 3, maxAttempts: 2, backoffMs: 5, timeoutMs: 400 },
    })
    const stuck = second
    while (chatsOf(stuck).length < 10) await sleep(2)
    stuck.inject({ match: '/api/chat', fault: { type: 'hang' } })
    expect(await execution.done).toBe('completed')
    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.counts).toMatchObject({ total: 80, done: 80, failed: 0 })
    expect(s.requests.failedByKind.map((k) => k.kind)).toEqual(['timeout'])
    // Taken out after three time-outs in a row: the hanging endpoint is not asked again and again.
    expect(s.requests.failed).toBeLessThanOrEqual(8)
  })

  it('a model that does not fit in an endpoint’s memory takes that endpoint out for that model only', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mem_mc'), mcInstances(30))
    const qwen = { name: 'qwen2.5:7b' }
    fake.setModels([{ name: 'llama3.2:3b' }, qwen])
    second = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
    addEndpoint(ctx, { name: 'lab2', url: second.url, kind: 'ollama' }, 'tester')
    fake.inject({
      match: (r) => r.path === '/api/chat' && (r.body as { model?: string }).model === 'llama3.2:3b',
      fault: {
        type: 'status',
        status: 500,
        body: JSON.stringify({
          error: 'model requires more system memory (9.2 GiB) than is available (4.0 GiB)',
        }),
      },
    })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['mem_mc'],
      models: [`${MODEL}+lab2/llama3.2:3b`, 'ollama/qwen2.5:7b'],
      settings: { concurrency: 2, maxAttempts: 2, backoffMs: 5 },
    })
    expect(await execution.done).toBe('completed')
    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.counts).toMatchObject({ total: 60, done: 60, failed: 0 })
    // llama went to lab2 after at most one round of refusals; ollama kept serving qwen.
    expect(chatsOf(fake, 'llama3.2:3b').length).toBeLessThanOrEqual(2)
    expect(chatsOf(second, 'llama3.2:3b').length).toBe(30)
    expect(chatsOf(fake, 'qwen2.5:7b').length).toBe(30)
    expect(s.requests.failedByKind).toEqual([
      { kind: 'HTTP 500', count: chatsOf(fake, 'llama3.2:3b').length },
    ])
  })

  it('the failure message names the model and endpoint that failed, not a model that had finished', async () => {
    await importPack(ctx, ctx.dir, mcManifest('name_mc'), mcInstances(10))
    fake.setModels([{ name: 'llama3.2:3b' }, { name: 'qwen2.5:7b' }])
    fake.inject({
      match: (r) => r.path === '/api/chat' && (r.body as { model?: string }).model === 'qwen2.5:7b',
      fault: { type: 'status', status: 503 },
    })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['name_mc'],
      models: [MODEL, 'ollama/qwen2.5:7b'],
      settings: { concurrency: 1, maxAttempts: 2, backoffMs: 1 },
    })
    expect(await execution.done).toBe('failed')
    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.error).toMatch(/^Model "qwen2.5:7b" on endpoint "ollama" failed: it stopped answering/)
    expect(s.error).not.toMatch(/llama3/)
    const groups = runDetail(ctx.db, runId, isActive(ctx.db)).groups
    expect(groups.find((g) => g.modelKey === MODEL)).toMatchObject({ done: 10, failed: 0 })
  })
})

describe('retries', () => {
  it('are visible: summary, detail and manifest report every request sent, and the failures by kind', async () => {
    await importPack(ctx, ctx.dir, mcManifest('retry_mc'), mcInstances(6))
    fake.inject({ match: '/api/chat', fault: { type: 'status', status: 500 }, times: 5 })
    fake.inject({ match: '/api/chat', fault: { type: 'hang' }, times: 1 })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['retry_mc'],
      models: [MODEL],
      settings: { concurrency: 1, maxAttempts: 10, backoffMs: 1, timeoutMs: 300 },
    })
    expect(await execution.done).toBe('completed')
    const d = runDetail(ctx.db, runId, isActive(ctx.db))
    expect(d.requests).toEqual({
      sent: 12,
      answered: 6,
      failed: 6,
      failedByKind: [
        { kind: 'HTTP 500', count: 5 },
        { kind: 'timeout', count: 1 },
      ],
    })
    expect(d.manifest!.counts).toMatchObject({ requestsSent: 12, requestsFailed: 6 })
    const show = await runCliCaptured(['--db', ctx.dbPath, 'run', 'show', String(runId)], {
      env: { OLLAMA_HOST: fake.url },
    })
    expect(show.stdout).toMatch(/Requests sent: 12 \(6 answered, 6 failed: HTTP 500 ×5, timeout ×1\)/)
    expect(show.stdout).toMatch(/ollama\s+ollama\/llama3.2:3b\s+HTTP 500\s+5/)
    expect(show.stdout).toMatch(/requests sent: 12 \(6 failed: HTTP 500 ×5, timeout ×1\)/)
    expect(d.failedRequests).toEqual([
      { endpoint: 'ollama', modelKey: MODEL, kind: 'HTTP 500', count: 5 },
      { endpoint: 'ollama', modelKey: MODEL, kind: 'timeout', count: 1 },
    ])
  })
})

describe('a database locked by another process', () => {
  it('is a wait, not a failure: the run says who holds the lock and completes after', async () => {
    await importPack(ctx, ctx.dir, mcManifest('lock_mc'), mcInstances(40))
    let locked = () => {}
    const lockTaken = new Promise<void>((r) => (locked = r))
    let answered = 0
    fake.answer(async (req) => {
      // The first five answers come at once; the rest once the other process holds the lock.
      if (++answered > 5) await lockTaken
      return goldOf(req.lastUser)
    })
    const progress: RunProgress[] = []
    ctx.events.on((channel, p) => {
      if (channel === 'runs:progress') progress.push(p as RunProgress)
    })
    const { runId, execution } = await startNewRun(
      ctx,
      { benchmarks: ['lock_mc'], models: [MODEL], settings: { concurrency: 2 } },
      { progressEveryMs: 50 },
    )
    while (runSummary(ctx.db, runId, isActive(ctx.db)).counts.done < 5) await sleep(10)
    // Longer than SQLite's busy timeout (5 s), as the 55 s import was.
    const holder = holdDbLock(ctx.dbPath, 6000, 'an import of big.csv')
    void holder.locked.then(locked)
    expect(await execution.done).toBe('completed')
    const out = await holder.released
    expect(out).toBe('locked\nreleased\n')
    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.counts).toMatchObject({ done: 40, failed: 0 })
    const waiting = progress.find((p) => p.waitingFor !== null)
    expect(waiting?.waitingFor).toMatch(
      /^waiting: an import of big.csv \(pid \d+, since .* UTC\) holds the database’s write lock/,
    )
    expect(progress[progress.length - 1]!.waitingFor).toBeNull()
  }, 30_000)
})
