import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { EgressGuard, type FetchBinding } from '../../../src/main/egress/guard'
import { startNewRun } from '../../../src/main/runs/control'
import { activeExecution } from '../../../src/main/runs/engine'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { goldOf, importPack, mcInstances, mcManifest } from './helpers'

/**
 * A run's memory must not grow with its number of items: what the dispatcher and the egress guard
 * keep per request is released when the request ends. Checked on the structures themselves (not
 * on timing or process memory): the signal each request is given, and the listeners left on it.
 */

let ctx: TempContext
let fake: FakeOllama
const MODEL = 'ollama/llama3.2:3b'

beforeEach(async () => {
  fake = await startFakeOllama({ answer: (req) => goldOf(req.lastUser) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  vi.restoreAllMocks()
  ctx.dispose()
  await fake.close()
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
