import { afterEach, beforeEach, expect, it } from 'vitest'
import { scoreRun } from '../../../src/main/jury/run/score-run'
import { startFakeOllama, type FakeOllama } from '../../support/fake-ollama'
import { tempContext, type TempContext } from '../../support/context'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from './helpers'

/** The jury's answers are kept as requests and responses, so the jury's cost and runtime can be counted. */

let ctx: TempContext
let fake: FakeOllama
beforeEach(async () => {
  const answers = Object.fromEntries(
    ['judge-a', 'judge-b', 'judge-c'].map((j) => [
      j,
      { 0: [verdict(0, 4, 4), verdict(4, 4, 4)], 1: [verdict(5, 5, 5)] },
    ]),
  )
  fake = await startFakeOllama({ models: FAKE_MODELS, answer: scriptedServer(answers) })
  ctx = tempContext({ OLLAMA_HOST: fake.url })
})
afterEach(async () => {
  ctx.dispose()
  await fake.close()
})

it('keeps every judge answer — retries too — as a judge request with its response, tokens and latency', async () => {
  const runId = await completedRun(
    ctx,
    openManifest('patient_qa', [{ name: 'jury', main: true }]),
    openInstances(2),
    ctx.dir,
  )
  const result = await scoreRun(ctx, runId, { judges: JUDGE_KEYS })
  // Case 0: each judge answers out of range once, then validly (2 answers); case 1: one answer.
  expect(result.pass.judgeRequests).toBe(9)
  const rows = ctx.db
    .prepare(
      `SELECT q.run_item_id AS item, e.name || '/' || q.model_name AS judge, q.prompt, q.settings_json AS settings,
              r.text, r.prompt_tokens AS pt, r.completion_tokens AS ct, r.latency_ms AS ms
       FROM requests q JOIN responses r ON r.request_id = q.id JOIN endpoints e ON e.id = q.endpoint_id
       WHERE q.purpose = 'judge' ORDER BY q.id`,
    )
    .all() as {
    item: number
    judge: string
    prompt: string
    settings: string
    text: string
    pt: number
    ct: number
    ms: number
  }[]
  expect(rows).toHaveLength(9)
  expect(new Set(rows.map((r) => r.judge))).toEqual(new Set(JUDGE_KEYS))
  const items = ctx.db.prepare('SELECT id FROM run_items WHERE run_id = ?').all(runId) as { id: number }[]
  expect(new Set(rows.map((r) => r.item))).toEqual(new Set(items.map((i) => i.id)))
  expect(rows.every((r) => r.pt > 0 && r.ct > 0 && r.ms >= 0)).toBe(true)
  expect(JSON.parse(rows[0]!.settings)).toEqual({ temperature: 0, numPredict: 4096, json: true })
  // A retry keeps the whole conversation: the prompt, the unusable answer and the correction.
  const retry = rows.find((r) => (JSON.parse(r.prompt) as unknown[]).length === 3)!
  expect((JSON.parse(retry.prompt) as { role: string }[]).map((m) => m.role)).toEqual([
    'user',
    'assistant',
    'user',
  ])
  expect(retry.text).toBe(verdict(4, 4, 4))
})
