import { afterEach, beforeEach, expect, it } from 'vitest'
import { instanceScores } from '../../../src/main/jury/run/report'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import { writeScoringSettings } from '../../../src/main/jury/run/settings'
import { listModels } from '../../../src/main/models/catalog'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import { runCliCaptured } from '../../support/cli'
import { completedRun, isJudgePrompt, openInstances, openManifest, RUN_MODEL, verdict } from './helpers'

/**
 * Self-preference guard: the evaluated model (llama3.2:3b, family "llama" in Ollama's details)
 * is judged by a judge of its family — named "house-judge", so only Ollama's details can tell —
 * and two of other families. The same-family judge gives 5s, the others 2s.
 */

const JUDGES = ['ollama/house-judge', 'ollama/qwen-judge', 'ollama/gemma-judge']

let ctx: TempContext
let fake: FakeOllama
beforeEach(async () => {
  fake = await startFakeOllama({
    models: [
      { name: RUN_MODEL, family: 'llama' },
      { name: 'house-judge', family: 'llama' },
      { name: 'qwen-judge', family: 'qwen2' },
      { name: 'gemma-judge', family: 'gemma3' },
    ],
    answer: (req) =>
      isJudgePrompt(req)
        ? req.model === 'house-judge'
          ? verdict(5, 5, 5)
          : verdict(2, 2, 2)
        : 'Rest and drink fluids.',
  })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await listModels(ctx, { refresh: true })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

const juryRow = () =>
  ctx.db.prepare("SELECT value, status, details_json FROM scores WHERE metric = 'jury'").get() as {
    value: number | null
    status: string
    details_json: string
  }

it('leaves same-family judges out of the jury score when the settings say so, and says so', async () => {
  const runId = await completedRun(
    ctx,
    openManifest('family_qa', [{ name: 'jury', main: true }]),
    openInstances(1),
    ctx.dir,
  )
  const first = await scoreRun(ctx, runId, { judges: JUDGES })
  expect(juryRow().value).toBe(3) // (5 + 2 + 2) / 3: every judge counts by default
  expect(first.pass.warnings.join(' ')).toMatch(
    /Judges ollama\/house-judge are of the llama family, as ollama\/llama3\.2:3b, and may favour it/,
  )

  writeScoringSettings(ctx, { judges: JUDGES, embeddingModel: null, excludeSameFamily: true })
  const second = await scoreRun(ctx, runId)
  expect(second.pass.judgeRequests).toBe(0) // stored votes, re-aggregated
  const row = juryRow()
  expect(row.value).toBe(2)
  expect(JSON.parse(row.details_json)).toMatchObject({
    excludedJudges: ['ollama/house-judge'],
    excludedBecause: 'same family as the evaluated model (llama)',
    validVotes: 6,
  })
  expect(second.pass.warnings.join(' ')).toMatch(/left out of its jury scores/)
  // The excluded judge's votes are kept (for the bias report) and visible per item.
  const item = ctx.db.prepare('SELECT id FROM run_items').pluck().get() as number
  const v = instanceScores(ctx.db, item)
  expect(v.votes.filter((x) => x.judge === 'ollama/house-judge')).toHaveLength(3)
  expect(v.metrics.find((m) => m.metric === 'jury')!.details).toMatchObject({
    excludedJudges: ['ollama/house-judge'],
  })
  const shown = await runCliCaptured(['--db', ctx.dbPath, 'jury', 'votes', String(item)])
  expect(shown.stdout).toContain(
    'Jury score is the mean of the remaining judges; left out: ollama/house-judge (same family as the evaluated model (llama)).',
  )
})

it('with every judge of the model’s family, the instance is unscored with that reason', async () => {
  const runId = await completedRun(
    ctx,
    openManifest('family_only', [{ name: 'jury', main: true }]),
    openInstances(1),
    ctx.dir,
  )
  await scoreRun(ctx, runId, { judges: ['ollama/house-judge'], excludeSameFamily: true })
  const row = juryRow()
  expect(row).toMatchObject({ value: null, status: 'unscored' })
  expect(JSON.parse(row.details_json)).toMatchObject({ reason: 'all_judges_same_family' })
})

it('jury settings on the CLI switch the guard on and off', async () => {
  const cli = (args: string[]) =>
    runCliCaptured(['--db', ctx.dbPath, ...args], { env: { OLLAMA_HOST: fake.url } })
  const on = await cli(['jury', 'settings', '--judges', JUDGES.join(','), '--exclude-same-family'])
  expect(on.code).toBe(0)
  expect(on.stdout).toMatch(/Same-family judges: left out/)
  const json = JSON.parse((await cli(['--json', 'jury', 'settings'])).stdout) as {
    excludeSameFamily: boolean
  }
  expect(json.excludeSameFamily).toBe(true)
  // Changing another setting keeps the guard as it is.
  expect((await cli(['jury', 'settings', '--clear-embedding-model'])).stdout).toMatch(/left out/)
  expect((await cli(['jury', 'settings', '--include-same-family'])).stdout).toMatch(
    /Same-family judges: counted/,
  )
  const both = await cli(['jury', 'settings', '--include-same-family', '--exclude-same-family'])
  expect(both.code).not.toBe(0)
})
