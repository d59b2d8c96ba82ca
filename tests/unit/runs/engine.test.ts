import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EgressGuard, type FetchBinding } from '../../../src/main/egress/guard'
import { resumeRun, startNewRun, stopRun } from '../../../src/main/runs/control'
import { runDetail, runItemDetail, runItemsPage, runSummary } from '../../../src/main/runs/store'
import { activeExecution, isActive, pauseAllExecutions } from '../../../src/main/runs/executions'
import { createAppContext } from '../../../src/main/app/context'
import type { RunProgress } from '../../../src/shared/api/runs'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { count, goldOf, importPack, MC_PROMPT, mcInstances, mcManifest } from './helpers'

let ctx: TempContext
let fake: FakeOllama
const MODEL = 'ollama/llama3.2:3b'

beforeEach(async () => {
  fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

const chats = () => fake.requests.filter((r) => r.path === '/api/chat')

describe('run engine', () => {
  it('runs models × benchmarks, builds MedHELM prompts, scores inline and commits every item', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(12))
    await importPack(ctx, ctx.dir, mcManifest('mc_b'), mcInstances(6, 'b'))
    const progress: RunProgress[] = []
    ctx.events.on((channel, p) => channel === 'runs:progress' && progress.push(p as RunProgress))
    const { runId, execution } = await startNewRun(ctx, { benchmarks: ['mc_a', 'mc_b'], models: [MODEL] })
    expect(await execution.done).toBe('completed')

    const s = runSummary(ctx.db, runId, isActive(ctx.db))
    expect(s.counts).toEqual({ total: 18, done: 18, failed: 0, pending: 0, cached: 0 })
    expect(chats()).toHaveLength(18)
    const first = chats()[0]!.body as {
      messages: { role: string; content: string }[]
      options: Record<string, unknown>
    }
    expect(first.messages).toEqual([
      {
        role: 'user',
        content:
          'Answer with the letter only.\n\nQuestion 0: which option is number 0? (set q)\nA. first\nB. second\nC. third\nD. fourth\nAnswer:',
      },
    ])
    expect(first.options).toMatchObject({ temperature: 0, num_predict: 1, stop: ['\n'] })
    // Every answer is the gold letter: exact match 1 everywhere, one score row per item.
    expect(
      count(
        ctx,
        "SELECT COUNT(*) AS n FROM scores WHERE metric = 'exact_match' AND status = 'ok' AND value = 1",
      ),
    ).toBe(18)
    const detail = runDetail(ctx.db, runId, isActive(ctx.db))
    expect(detail.groups.map((g) => [g.benchmarkId, g.done, g.total, g.mainMean])).toEqual([
      ['mc_a', 12, 12, 1],
      ['mc_b', 6, 6, 1],
    ])
    expect(detail.manifest?.counts).toMatchObject({ total: 18, done: 18, requestsSent: 18 })
    expect(detail.manifest?.models[0]).toMatchObject({
      key: MODEL,
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
    })
    expect(detail.manifest?.benchmarks.map((b) => b.promptTemplateHash)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      expect.stringMatching(/^[0-9a-f]{64}$/),
    ])
    // Live progress reached the end, per benchmark and model.
    const last = progress[progress.length - 1]!
    expect(last).toMatchObject({ runId, status: 'completed', counts: { done: 18, total: 18 } })
    expect(last.groups).toHaveLength(2)

    const page = runItemsPage(ctx.db, { runId, offset: 0, limit: 5 })
    expect(page.total).toBe(18)
    const item = runItemDetail(ctx.db, runId, page.rows[1]!.id)
    expect(item).toMatchObject({
      status: 'done',
      response: 'B',
      references: ['B'],
      score: 1,
      mainMetric: 'exact_match',
      endpoint: 'ollama',
      cached: false,
    })
    expect(item.prompt).toContain('B. second')
    expect(item.latencyMs).toBeGreaterThan(0)
    expect(item.completionTokens).toBe(1)
    // Every request was audited with the run/benchmark/instance purpose.
    const purposes = ctx.db
      .prepare(
        "SELECT purpose_json FROM audit_log WHERE kind = 'request' AND outcome = 'intent' AND purpose_json LIKE '%\"run\"%'",
      )
      .all() as { purpose_json: string }[]
    expect(purposes).toHaveLength(18)
    expect(JSON.parse(purposes[0]!.purpose_json)).toMatchObject({
      kind: 'run',
      runId,
      benchmark: 'mc_a',
      modelKey: MODEL,
    })
  })

  it('a repeated run is answered from the cache: the server receives zero requests', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(10))
    const first = await startNewRun(ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await first.execution.done).toBe('completed')
    fake.reset()
    const second = await startNewRun(ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    expect(await second.execution.done).toBe('completed')
    expect(fake.requests).toHaveLength(0)
    expect(fake.connections).toBe(0)
    const s = runSummary(ctx.db, second.runId, isActive(ctx.db))
    expect(s.counts).toMatchObject({ done: 10, cached: 10 })
    const item = runItemDetail(
      ctx.db,
      second.runId,
      runItemsPage(ctx.db, { runId: second.runId, offset: 0, limit: 1 }).rows[0]!.id,
    )
    expect(item).toMatchObject({ cached: true, cachedFromRun: first.runId, score: 1 })
    // Other generation settings are another cache key: sent again.
    const third = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { generation: { maxTokens: 5 } },
    })
    expect(await third.execution.done).toBe('completed')
    expect(chats()).toHaveLength(10)
  })

  it('samples N instances per benchmark with the seed, the same way every time', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(50))
    const ids = async (seed: number) => {
      const { runId, execution } = await startNewRun(ctx, {
        benchmarks: ['mc_a'],
        models: [MODEL],
        seed,
        settings: { limit: 7 },
      })
      await execution.done
      return runDetail(ctx.db, runId, isActive(ctx.db)).manifest!.benchmarks[0]!.sampledIds
    }
    const a = await ids(42)
    expect(a).toHaveLength(7)
    expect(await ids(42)).toEqual(a)
    expect(await ids(7)).not.toEqual(a)
  })

  it('retries transient failures (5xx, dropped connection, timeout) with backoff, and fails an item after the limit', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(6))
    fake.inject({ match: '/api/chat', fault: { type: 'status', status: 503 }, times: 3 })
    fake.inject({ match: '/api/chat', fault: { type: 'drop' }, times: 2 })
    fake.inject({ match: '/api/chat', fault: { type: 'hang' }, times: 1 })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { concurrency: 1, maxAttempts: 10, backoffMs: 5, timeoutMs: 300 },
    })
    expect(await execution.done).toBe('completed')
    expect(runSummary(ctx.db, runId, isActive(ctx.db)).counts).toMatchObject({ done: 6, failed: 0 })
    expect(chats()).toHaveLength(6 + 6)
    const outcomes = (
      ctx.db
        .prepare("SELECT outcome FROM audit_log WHERE kind = 'request' AND purpose_json LIKE '%\"run\"%'")
        .all() as { outcome: string }[]
    ).map((r) => r.outcome)
    expect(outcomes.filter((o) => o === 'timeout')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'network_error')).toHaveLength(2)
    expect(outcomes.filter((o) => o === 'http_error')).toHaveLength(3)

    // Past the limit the item fails with the reason, never a score; resuming tries it again.
    fake.reset()
    await importPack(ctx, ctx.dir, mcManifest('mc_c'), mcInstances(1, 'c'))
    const stopFaults = fake.inject({ match: '/api/chat', fault: { type: 'status', status: 500 } })
    const failing = await startNewRun(ctx, {
      benchmarks: ['mc_c'],
      models: [MODEL],
      settings: { maxAttempts: 3, backoffMs: 1 },
    })
    expect(await failing.execution.done).toBe('failed')
    expect(chats()).toHaveLength(3)
    const detail = runDetail(ctx.db, failing.runId, isActive(ctx.db))
    expect(detail.counts).toMatchObject({ failed: 1, done: 0 })
    expect(detail.errors[0]!.message).toMatch(/HTTP 500/)
    expect(
      count(
        ctx,
        'SELECT COUNT(*) AS n FROM scores s JOIN run_items ri ON ri.id = s.run_item_id WHERE ri.run_id = ?',
        failing.runId,
      ),
    ).toBe(0)
    stopFaults()
    expect(await resumeRun(ctx, failing.runId).done).toBe('completed')
    expect(runSummary(ctx.db, failing.runId, isActive(ctx.db)).counts).toMatchObject({ done: 1, failed: 0 })
  })

  it('keeps at most `concurrency` requests in flight per endpoint, and a pool of endpoints shares the work', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(40))
    const second = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
    try {
      let inFlight = 0
      let peak = 0
      const slow = async (req: { lastUser: string }) => {
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((r) => setTimeout(r, 15))
        inFlight--
        return goldOf(req.lastUser)
      }
      fake.answer(slow)
      second.answer(slow)
      const { addEndpoint } = await import('../../../src/main/models/endpoints')
      addEndpoint(ctx, { name: 'lab2', url: second.url, kind: 'ollama' }, 'tester')
      // The same model (same digest) on two endpoints: one pool.
      const { runId, execution } = await startNewRun(ctx, {
        benchmarks: ['mc_a'],
        models: [MODEL, 'lab2/llama3.2:3b'],
        settings: { concurrency: 3 },
      })
      expect(await execution.done).toBe('completed')
      const s = runSummary(ctx.db, runId, isActive(ctx.db))
      expect(s.counts).toMatchObject({ total: 40, done: 40 })
      expect(peak).toBeLessThanOrEqual(6)
      expect(peak).toBeGreaterThanOrEqual(4)
      const a = chats().length
      const b = second.requests.filter((r) => r.path === '/api/chat').length
      expect(a + b).toBe(40)
      expect(a).toBeGreaterThan(5)
      expect(b).toBeGreaterThan(5)
      expect(runDetail(ctx.db, runId, isActive(ctx.db)).manifest!.models.map((m) => [m.key, m.pool])).toEqual(
        [
          [MODEL, MODEL],
          ['lab2/llama3.2:3b', MODEL],
        ],
      )
    } finally {
      await second.close()
    }
  })

  it('two models on one endpoint share its concurrency limit', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(12))
    let inFlight = 0
    let peak = 0
    fake.answer(async (req) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((r) => setTimeout(r, 10))
      inFlight--
      return goldOf(req.lastUser)
    })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL, 'ollama/qwen2.5:7b'],
      settings: { concurrency: 2 },
    })
    expect(await execution.done).toBe('completed')
    expect(peak).toBe(2)
    const byModel = chats().reduce<Record<string, number>>(
      (m, r) => ({
        ...m,
        [(r.body as { model: string }).model]: (m[(r.body as { model: string }).model] ?? 0) + 1,
      }),
      {},
    )
    expect(byModel).toEqual({ 'llama3.2:3b': 12, 'qwen2.5:7b': 12 })
    expect(runDetail(ctx.db, runId, isActive(ctx.db)).groups.map((g) => [g.modelKey, g.done])).toEqual([
      [MODEL, 12],
      ['ollama/qwen2.5:7b', 12],
    ])
  })

  it('pauses, resumes and cancels; nothing completed is sent twice', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(30))
    fake.answer(async (req) => {
      await new Promise((r) => setTimeout(r, 10))
      return goldOf(req.lastUser)
    })
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { concurrency: 2 },
    })
    while (runSummary(ctx.db, runId, isActive(ctx.db)).counts.done < 6)
      await new Promise((r) => setTimeout(r, 5))
    const paused = await stopRun(ctx, runId, 'pause')
    expect(await execution.done).toBe('paused')
    expect(paused.status).toBe('paused')
    const doneAtPause = paused.counts.done
    expect(doneAtPause).toBeLessThan(30)
    const resumed = resumeRun(ctx, runId)
    expect(await resumed.done).toBe('completed')
    // Each instance answered (and committed) once; only requests aborted by the pause were repeated.
    const prompts = chats().map((r) => JSON.stringify((r.body as { messages: unknown }).messages))
    expect(new Set(prompts).size).toBe(30)
    expect(prompts.length).toBeLessThanOrEqual(30 + 2)
    expect(
      count(
        ctx,
        'SELECT COUNT(*) AS n FROM requests q JOIN run_items ri ON ri.id = q.run_item_id WHERE ri.run_id = ?',
        runId,
      ),
    ).toBe(30)

    // What the app does before quitting: every run executing here is paused, not left interrupted.
    const quitting = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { useCache: false, concurrency: 1 },
    })
    await pauseAllExecutions(ctx.db)
    expect(runSummary(ctx.db, quitting.runId, isActive(ctx.db))).toMatchObject({
      status: 'paused',
      active: false,
      interrupted: false,
    })

    const again = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { useCache: false, concurrency: 1 },
    })
    await new Promise((r) => setTimeout(r, 30))
    const cancelled = await stopRun(ctx, again.runId, 'cancel')
    expect(cancelled.status).toBe('cancelled')
    expect(cancelled.finishedAt).not.toBeNull()
    expect(() => resumeRun(ctx, again.runId)).toThrow(/cancelled/)
  })

  it('another process (its own connection) pauses and cancels a run through runs.control', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(40))
    fake.answer(async (req) => {
      await new Promise((r) => setTimeout(r, 25))
      return goldOf(req.lastUser)
    })
    const other = createAppContext({ dbPath: ctx.dbPath, env: { OLLAMA_HOST: fake.url } })
    try {
      const { runId, execution } = await startNewRun(ctx, {
        benchmarks: ['mc_a'],
        models: [MODEL],
        settings: { concurrency: 1 },
      })
      await new Promise((r) => setTimeout(r, 100))
      // Not executing in `other`: it asks, and waits until the executing side has stopped.
      const paused = await stopRun(other, runId, 'pause')
      expect(paused.status).toBe('paused')
      expect(await execution.done).toBe('paused')
      expect(() => resumeRun(ctx, runId)).not.toThrow()
      await new Promise((r) => setTimeout(r, 100))
      expect(() => resumeRun(other, runId)).toThrow(/being executed by another WardEval process/)
      const cancelled = await stopRun(other, runId, 'cancel')
      expect(cancelled.status).toBe('cancelled')
      expect(runSummary(ctx.db, runId, isActive(ctx.db)).counts.pending).toBeGreaterThan(0)
    } finally {
      other.close()
    }
  })

  it('a model the endpoint does not serve stops the run as failed (resumable), not 1 error per item', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(20))
    const { runId, execution } = await startNewRun(ctx, { benchmarks: ['mc_a'], models: [MODEL] })
    await execution.done
    // The model disappears from the server.
    fake.setModels([{ name: 'other:1b' }])
    const second = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { useCache: false },
    })
    expect(await second.execution.done).toBe('failed')
    const s = runSummary(ctx.db, second.runId, isActive(ctx.db))
    expect(s.error).toMatch(/^Model "llama3.2:3b" on endpoint "ollama" failed: .*not on this server/)
    expect(s.counts.pending).toBe(20)
    expect(runId).toBeLessThan(second.runId)
  })

  it('refuses a run naming an unknown benchmark or model, with the field', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(2))
    await expect(startNewRun(ctx, { benchmarks: ['nope'], models: [MODEL] })).rejects.toThrow(
      /benchmark: "nope" is not loaded/,
    )
    await expect(startNewRun(ctx, { benchmarks: ['mc_a'], models: ['ollama/missing:1b'] })).rejects.toThrow(
      /model: "missing:1b" is not on endpoint "ollama" \(it serves: llama3.2:3b, qwen2.5:7b\)/,
    )
    await expect(startNewRun(ctx, { benchmarks: ['mc_a'], models: ['nowhere/x'] })).rejects.toThrow(
      /No endpoint named "nowhere"/,
    )
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM runs')).toBe(0)
  })

  it('refuses a run with an instance its prompt cannot fill, naming the instance and the field, unless it is not sampled', async () => {
    const ward = { ...MC_PROMPT, template: '{{input}} (ward {{metadata.ward}})\n{{choices}}' }
    const instances = mcInstances(6).map((i, n) => (n === 4 ? i : { ...i, metadata: { ward: `W${n}` } }))
    await importPack(ctx, ctx.dir, mcManifest('mc_ward', { prompt: ward }), instances)
    await expect(startNewRun(ctx, { benchmarks: ['mc_ward'], models: [MODEL] })).rejects.toThrow(
      'benchmark "mc_ward" instance "q4": field "metadata.ward": the template uses {{metadata.ward}} but the instance has no metadata.ward',
    )
    const choices = { ...MC_PROMPT, template: '{{input}}\n{{choices}}' }
    const open = mcInstances(3).map((i, n) => (n === 1 ? { ...i, choices: undefined } : i))
    await importPack(ctx, ctx.dir, mcManifest('mc_open', { prompt: choices, taskType: 'open_ended' }), open)
    await expect(startNewRun(ctx, { benchmarks: ['mc_open'], models: [MODEL] })).rejects.toThrow(
      'benchmark "mc_open" instance "q1": field "choices": the template uses {{choices}} but the instance has no choices',
    )
    expect(count(ctx, 'SELECT COUNT(*) AS n FROM runs')).toBe(0)
    // A sample that leaves the instance out is a run; its prompts are the ones the engine sends.
    let seed = 0
    const sampled = (s: number) =>
      startNewRun(ctx, { benchmarks: ['mc_ward'], models: [MODEL], settings: { limit: 2 }, seed: s })
    for (; seed < 50; seed++) {
      const run = await sampled(seed).catch(() => null)
      if (!run) continue
      expect(await run.execution.done).toBe('completed')
      const prompts = ctx.db.prepare('SELECT prompt FROM requests').pluck().all() as string[]
      expect(prompts).toHaveLength(2)
      for (const p of prompts) expect(p).toMatch(/^Question \d: .* \(ward W[0-35]\)\nA\. first\n/)
      break
    }
    expect(seed).toBeLessThan(50)
  })
})

/** The signal of every run request's fetch binding, in order (not the model listing's). */
function recordSignals(): (AbortSignal | undefined)[] {
  const signals: (AbortSignal | undefined)[] = []
  const real = EgressGuard.prototype.fetchFor
  vi.spyOn(EgressGuard.prototype, 'fetchFor').mockImplementation(function (
    this: EgressGuard,
    b: FetchBinding,
  ) {
    if (b.purpose.kind === 'run') signals.push(b.signal)
    return real.call(this, b)
  })
  return signals
}

describe('run bookkeeping: nothing per item outlives the item', () => {
  // A run's memory must not grow with its number of items: what the dispatcher and the egress
  // guard keep per request is released when the request ends. Checked on the structures
  // themselves (not on timing or process memory): each request's signal and its listeners.
  afterEach(() => vi.restoreAllMocks())

  it('every request listens to its endpoint’s one long-lived signal (no signal made per request), and no listener is left on it after the run', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(60))
    const signals = recordSignals()
    const { execution } = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { concurrency: 8 },
    })
    expect(await execution.done).toBe('completed')
    expect(signals).toHaveLength(60)
    const distinct = new Set(signals)
    expect(distinct.size).toBe(1)
    const [signal] = [...distinct]
    expect(signal).toBeInstanceOf(AbortSignal)
    expect(getEventListeners(signal!, 'abort')).toHaveLength(0)
  })

  it('pausing aborts the requests in flight through that signal; they leave no listener behind', async () => {
    await importPack(ctx, ctx.dir, mcManifest('mc_a'), mcInstances(40))
    fake.inject({ match: '/api/chat', fault: { type: 'hang' } })
    const signals = recordSignals()
    const { runId, execution } = await startNewRun(ctx, {
      benchmarks: ['mc_a'],
      models: [MODEL],
      settings: { concurrency: 4 },
    })
    while (fake.requests.filter((r) => r.path === '/api/chat').length < 4)
      await new Promise((r) => setTimeout(r, 10))
    const signal = signals[0]!
    expect(getEventListeners(signal, 'abort')).toHaveLength(4)
    activeExecution(ctx.db, runId)!.pause()
    expect(await execution.done).toBe('paused')
    expect(signal.aborted).toBe(true)
    expect(getEventListeners(signal, 'abort')).toHaveLength(0)
  })
})
