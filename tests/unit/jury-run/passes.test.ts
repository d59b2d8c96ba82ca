import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobProgress } from '../../../src/shared/api/app'
import type { ScoringPasses, ScoringSettings } from '../../../src/shared/api/jury'
import { failedVoteReason } from '../../../src/main/jury/run/passes'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { APP_SENDER, callThrough, routerFor } from '../../support/router'
import { runCliCaptured } from '../../support/cli'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from './helpers'

/**
 * Judge keys are picked from the known models: a typo cannot be saved from the app or the CLI, and
 * a pass that fails (a judge the server does not serve) records why, readable per run.
 */

let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: scriptedServer({
      'judge-a': { 0: [verdict(5, 5, 5)], 1: ['not json'] },
      'judge-b': { 0: [verdict(4, 4, 4)], 1: [verdict(4, 4, 4)] },
      'judge-c': { 0: [verdict(3, 3, 3)], 1: [verdict(3, 3, 3)] },
    }),
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

const cli = (args: string[]) =>
  runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })

async function scoredRun(): Promise<number> {
  return completedRun(
    ctx,
    openManifest('patient_qa', [{ name: 'jury', main: true }]),
    openInstances(2),
    ctx.dir,
  )
}

function finishedPass(): Promise<JobProgress> {
  return new Promise((resolve) =>
    ctx.events.on((channel, p) => {
      const j = p as JobProgress
      if (channel === 'job:progress' && j.kind === 'score' && j.state !== 'running') resolve(j)
    }),
  )
}

describe('known judge and embedding keys', () => {
  it('the app refuses a mistyped judge, naming the field and the nearest known model; nothing is saved', async () => {
    await scoredRun()
    const router = routerFor(ctx)
    const typo = await router.invoke(
      'jury:settings-set',
      { judges: ['ollama/judge-a', 'ollama/jugde-b'], embeddingModel: null },
      APP_SENDER,
    )
    expect(typo.ok).toBe(false)
    if (typo.ok) return
    expect(typo.error.code).toBe('invalid_input')
    expect(typo.error.message).toMatch(
      /^judges: no endpoint lists "ollama\/jugde-b" \(did you mean "ollama\/judge-b"\?\)/,
    )
    expect(typo.error.issues).toEqual([{ path: ['judges'], message: 'unknown model key "ollama/jugde-b"' }])
    const emb = await router.invoke(
      'jury:settings-set',
      { judges: JUDGE_KEYS, embeddingModel: 'ollama/nomic-embed' },
      APP_SENDER,
    )
    expect(emb.ok).toBe(false)
    expect(await callThrough<ScoringSettings>(router, 'jury:settings')).toMatchObject({ judges: [] })
    // A pass given a typo for itself is refused before it starts.
    const pass = await router.invoke('jury:score-run', { runId: 1, judges: ['ollama/judge-z'] }, APP_SENDER)
    expect(pass.ok).toBe(false)
  })

  it('the CLI refuses a mistyped judge in `jury settings` and `score --judges`', async () => {
    const runId = await scoredRun()
    const set = await cli(['jury', 'settings', '--judges', 'ollama/judge-a,ollama/judge-x'])
    expect(set.code).not.toBe(0)
    expect(set.stderr).toMatch(/judges: no endpoint lists "ollama\/judge-x"/)
    const score = await cli(['score', String(runId), '--judges', 'ollama/judgea'])
    expect(score.code).not.toBe(0)
    expect(score.stderr).toMatch(/did you mean "ollama\/judge-a"/)
    expect((await cli(['jury', 'settings', '--judges', JUDGE_KEYS.join(',')])).code).toBe(0)
  })
})

describe('recorded scoring passes', () => {
  it('a pass failing on a judge the server does not serve records why; failed votes are counted by reason', async () => {
    const runId = await scoredRun()
    const router = routerFor(ctx)
    // First a pass that works, with one judge whose answer on case 1 is unusable.
    await callThrough(router, 'jury:settings-set', { judges: JUDGE_KEYS, embeddingModel: null })
    let done = finishedPass()
    await callThrough(router, 'jury:score-run', { runId })
    expect((await done).state).toBe('done')
    await new Promise((r) => setTimeout(r, 50)) // the handler lets go of the run after its last event
    // Then a judge listed once but no longer served: the server answers 404.
    ctx.db
      .prepare(
        "INSERT INTO models (endpoint_id, name, last_seen_at) SELECT id, 'ghost-judge', '2026-01-01' FROM endpoints WHERE name = 'ollama'",
      )
      .run()
    done = finishedPass()
    await callThrough(router, 'jury:score-run', { runId, judges: ['ollama/ghost-judge'] })
    expect((await done).state).toBe('failed')
    await new Promise((r) => setTimeout(r, 50)) // the pass is recorded as the error reaches its caller

    const p = await callThrough<ScoringPasses>(router, 'jury:passes', { runId })
    expect(p.passes.map((x) => x.state)).toEqual(['failed', 'done'])
    expect(p.passes[0]).toMatchObject({ judges: ['ollama/ghost-judge'], errorCode: 'not_found' })
    expect(p.passes[0]!.message).toMatch(/judge ollama\/ghost-judge: .*ghost-judge.*not on this server/)
    expect(p.passes[0]!.finishedAt).not.toBeNull()
    expect(p.passes[1]!.message).toMatch(/2 items; \d+ judge requests/)
    // judge-a's unusable answer on case 1: one failed vote per criterion (3).
    expect(p.failedVotes).toHaveLength(1)
    expect(p.failedVotes[0]).toMatchObject({ judge: 'ollama/judge-a', votes: 3 })
    expect(p.failedVotes[0]!.reason).not.toMatch(/attempts?/)

    const text = await cli(['jury', 'passes', String(runId)])
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/failed .*ollama\/ghost-judge/)
    expect(text.stdout).toMatch(/ollama\/judge-a\s+3/)
  })

  it('groups failed-vote reasons without their attempt counts', () => {
    expect(failedVoteReason('No usable answer after 3 attempts; the last request failed: timeout')).toBe(
      'request failed: timeout',
    )
    expect(failedVoteReason('No usable answer after 1 attempt: score out of range')).toBe(
      'score out of range',
    )
    expect(failedVoteReason(null)).toBe('no reason recorded')
  })
})
