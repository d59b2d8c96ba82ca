import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import type { JobProgress } from '../../../src/shared/api/app'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { holdDbLock } from '../../support/db-lock'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  isJudgePrompt,
  openInstances,
  openManifest,
  verdict,
} from '../jury-run/helpers'
import { countOf } from './helpers'

/**
 * A scoring pass while another process holds the database's write lock for longer than SQLite's
 * busy timeout (an import): the pass waits, says for whom, and completes with every vote.
 */

const ITEMS = 6
let ctx: TempContext
let fake: FakeOllama

beforeEach(async () => {
  fake = await startFakeOllama({ models: FAKE_MODELS })
  ctx = tempContext({ OLLAMA_HOST: fake.url, WARDEVAL_NO_SAMPLES: '1' })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

describe('a scoring pass and a locked database', () => {
  it('waits for the lock instead of failing, and completes', { timeout: 40_000 }, async () => {
    fake.answer(
      (req) => `Rest and drink fluids for condition ${/Case (\d+):/.exec(req.messages[0]!.content)![1]}.`,
    )
    const runId = await completedRun(
      ctx,
      openManifest('lock_qa', [{ name: 'jury', main: true }]),
      openInstances(ITEMS),
      ctx.dir,
    )
    let locked = () => {}
    const lockTaken = new Promise<void>((r) => (locked = r))
    let judged = 0
    fake.answer(async (req) => {
      if (!isJudgePrompt(req)) throw new Error('only judges are asked')
      if (++judged > 2) await lockTaken
      return verdict(5, 4, 3)
    })
    const progress: JobProgress[] = []
    ctx.events.on((channel, p) => channel === 'job:progress' && progress.push(p as JobProgress))
    const pass = scoreRun(ctx, runId, { judges: JUDGE_KEYS })
    while (countOf(ctx.dbPath, 'SELECT COUNT(*) AS n FROM jury_votes') < 3)
      await new Promise((r) => setTimeout(r, 10))
    const holder = holdDbLock(ctx.dbPath, 6000, 'an import of notes.csv')
    void holder.locked.then(locked)
    const result = await pass
    expect(await holder.released).toBe('locked\nreleased\n')
    expect(result.pass).toMatchObject({ items: ITEMS, votesWritten: ITEMS * 3 * 3 })
    expect(countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM jury_votes WHERE status = 'valid'")).toBe(ITEMS * 9)
    expect(countOf(ctx.dbPath, "SELECT COUNT(*) AS n FROM scores WHERE metric = 'jury' AND value = 4")).toBe(
      ITEMS,
    )
    expect(progress.some((p) => /^waiting: an import of notes.csv \(pid \d+/.test(p.message ?? ''))).toBe(
      true,
    )
  })
})
