import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Router } from '../../../src/main/ipc/router'
import type { JobProgress } from '../../../src/shared/api/app'
import type {
  BenchmarkAgreement,
  InstanceScores,
  RunScoringReport,
  ScoringSettings,
} from '../../../src/shared/api/jury'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { APP_SENDER, callThrough, routerFor } from '../../support/router'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from './helpers'

const trusted = APP_SENDER
let ctx: TempContext
let fake: FakeOllama
let router: Router

const call = <T>(channel: string, input?: unknown) => callThrough<T>(router, channel, input)

beforeEach(async () => {
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: scriptedServer({
      'judge-a': { 0: [verdict(5, 5, 5)], 1: ['not json'] },
      'judge-b': { 0: [verdict(4, 4, 4)], 1: ['not json'] },
      'judge-c': { 0: [verdict(3, 3, 3)], 1: ['not json'] },
    }),
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  router = routerFor(ctx)
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('jury channels', () => {
  it('settings, a background scoring pass with progress, the report, agreement and the per-instance votes', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }, { name: 'rouge_l' }]),
      openInstances(2),
      ctx.dir,
    )
    expect(await call<ScoringSettings>('jury:settings')).toEqual({
      judges: [],
      embeddingModel: null,
      excludeSameFamily: false,
    })
    const bad = await router.invoke(
      'jury:settings-set',
      { judges: ['a/b', 'a/b'], embeddingModel: null },
      trusted,
    )
    expect(bad.ok).toBe(false)
    await call('jury:settings-set', { judges: JUDGE_KEYS, embeddingModel: null })

    const events: JobProgress[] = []
    const finished = new Promise<JobProgress>((resolve) =>
      ctx.events.on((channel, p) => {
        if (channel !== 'job:progress') return
        events.push(p as JobProgress)
        if ((p as JobProgress).state !== 'running') resolve(p as JobProgress)
      }),
    )
    const started = await call<{ runId: number; jobId: string }>('jury:score-run', { runId })
    expect(started.runId).toBe(runId)
    // A second pass on the same run while the first runs is refused.
    const twice = await router.invoke('jury:score-run', { runId }, trusted)
    expect(twice.ok).toBe(false)
    if (!twice.ok) expect(twice.error.code).toBe('conflict')
    const end = await finished
    expect(end).toMatchObject({ jobId: started.jobId, state: 'done', done: 2, total: 2 })

    const report = await call<RunScoringReport>('jury:report', { runId })
    expect(report.rows[0]!.metrics.find((m) => m.metric === 'jury')).toMatchObject({
      ok: 1,
      unscored: 1,
      mean: 4,
      normalized: 0.75,
      unscoredBy: { all_votes_failed: 1 },
    })
    const agreement = await call<BenchmarkAgreement[]>('jury:agreement', { runId })
    expect(agreement[0]).toMatchObject({
      scored: 1,
      unscored: 1,
      agreement: { votes: 18, failed: 9, failedShare: 0.5, meanRange: 2 },
    })

    const ids = (
      ctx.db.prepare('SELECT id FROM run_items WHERE run_id = ? ORDER BY id').all(runId) as { id: number }[]
    ).map((r) => r.id)
    const failed = await call<InstanceScores>('jury:instance-scores', { runItemId: ids[1] })
    expect(failed.jury).toMatchObject({
      state: 'unscored',
      reason: 'all_votes_failed',
      failedVotes: 9,
      mean: null,
    })
    expect(
      failed.votes.every((v) => v.status === 'failed' && v.rawText === 'not json' && v.score === null),
    ).toBe(true)
    const missing = await router.invoke('jury:instance-scores', { runItemId: 99999 }, trusted)
    expect(missing.ok).toBe(false)
    if (!missing.ok) expect(missing.error.code).toBe('not_found')
  })

  it('a pass that cannot start (no judges) reports the failure as job progress', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(1),
      ctx.dir,
    )
    const failed = new Promise<JobProgress>((resolve) =>
      ctx.events.on(
        (channel, p) =>
          channel === 'job:progress' && (p as JobProgress).state === 'failed' && resolve(p as JobProgress),
      ),
    )
    await call('jury:score-run', { runId })
    expect((await failed).message).toMatch(/no judge is set/)
    const unknown = await router.invoke('jury:score-run', { runId: 4242 }, trusted)
    expect(unknown.ok).toBe(false)
  })

  it('jury:cancel-score stops a running pass; nothing half-done is stored and a later pass resumes', async () => {
    const runId = await completedRun(
      ctx,
      openManifest('patient_qa', [{ name: 'jury', main: true }]),
      openInstances(1),
      ctx.dir,
    )
    await call('jury:settings-set', { judges: JUDGE_KEYS, embeddingModel: null })
    const removeHang = fake.inject({ match: '/api/chat', fault: { type: 'hang' } })
    const failed = new Promise<JobProgress>((resolve) =>
      ctx.events.on(
        (channel, p) =>
          channel === 'job:progress' && (p as JobProgress).state === 'failed' && resolve(p as JobProgress),
      ),
    )
    await call('jury:score-run', { runId })
    // Wait until the judges have been asked, then cancel.
    for (let i = 0; i < 100 && fake.requests.filter((r) => r.path === '/api/chat').length < 3; i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(await call<{ cancelled: boolean }>('jury:cancel-score', { runId })).toEqual({ cancelled: true })
    expect((await failed).message).toMatch(/cancelled/)
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM jury_votes').get()).toEqual({ n: 0 })
    expect(ctx.db.prepare("SELECT COUNT(*) AS n FROM scores WHERE metric = 'jury'").get()).toEqual({ n: 0 })
    await new Promise((r) => setTimeout(r, 10)) // the pass's promise settles after its last event
    expect(await call<{ cancelled: boolean }>('jury:cancel-score', { runId })).toEqual({ cancelled: false })

    removeHang()
    const done = new Promise<JobProgress>((resolve) =>
      ctx.events.on(
        (channel, p) =>
          channel === 'job:progress' && (p as JobProgress).state === 'done' && resolve(p as JobProgress),
      ),
    )
    await call('jury:score-run', { runId })
    await done
    expect(ctx.db.prepare("SELECT value FROM scores WHERE metric = 'jury'").get()).toEqual({ value: 4 })
  })
})
