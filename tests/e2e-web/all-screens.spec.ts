import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import type { ReviewSetSummary } from '../../src/shared/api/review'
import { scoreRun } from '../../src/main/jury/run/score-run'
import { writeScoringSettings } from '../../src/main/jury/run/settings'
import { startNewRun } from '../../src/main/runs/control'
import { overrideEgressNetworkForTests } from '../../src/main/egress'
import type { TempContext } from '../support/context'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import { callThrough, routerFor } from '../support/router'
import { scriptedNetwork } from '../unit/egress/helpers'
import { defaultJuryScore, JUDGE_KEYS, JUDGES, scriptFor } from '../unit/review/helpers'
import { rateSetLikeTheJury } from '../unit/review/league-helpers'
import { expect, test } from './fixtures'
import { checkScreen } from './layout'

/**
 * Every screen as a hospital meets it, empty and full, at 1440×900 and at the 1024×700 minimum:
 * no horizontal overflow, no clipped text, every scrollable region reachable by keyboard, axe
 * clean, and a screenshot of each in test-reports/screens. The full state is built through the
 * real handlers: a private CSV benchmark, four models on the fake Ollama server, a run scored by a
 * three-judge jury, a review set rated by two clinicians, an approved server off the machine
 * (127.0.0.2 stands in for it) and a refused one.
 */

const MODELS = ['model-a:1b', 'model-b:1b', 'model-c:3b', 'model-d:7b']
const BENCH = 'ward_notes'
const N = 12

let local: FakeOllama
let hospital: FakeOllama
let restore: () => void = () => {}

test.beforeAll(async () => {
  local = await startFakeOllama({
    models: [...MODELS, ...JUDGES].map((name) => ({ name })),
    answer: scriptFor(defaultJuryScore),
  })
  hospital = await startFakeOllama({
    host: '127.0.0.2',
    models: [{ name: 'meta-llama/Llama-3.1-8B-Instruct' }],
  })
})
test.afterAll(async () => {
  await local.close()
  await hospital.close()
})
test.beforeEach(() => {
  restore = overrideEgressNetworkForTests(
    scriptedNetwork({ 'llm.hospital.test': ['127.0.0.2'], 'records.hospital.test': ['127.0.0.2'] }),
  )
})
test.afterEach(() => restore())

async function buildHospital(ctx: TempContext): Promise<void> {
  const router = routerFor(ctx)
  const csv = join(ctx.dir, 'ward-notes.csv')
  const rows = Array.from(
    { length: N },
    (_, i) =>
      `n${i},"Case ${i}: a patient writes about symptom ${i} after discharge.","Case ${i} reference: rest and drink fluids."`,
  )
  writeFileSync(csv, ['note_id,message,reply', ...rows].join('\n'))
  await callThrough(router, 'benchmarks:import', {
    jobId: 'import-1',
    format: 'csv',
    path: csv,
    benchmarkId: BENCH,
    map: { id: 'note_id', input: 'message', reference: 'reply' },
    settings: {
      name: 'Ward patient messages (private)',
      subcategory: 'patient_provider_messaging',
      taskType: 'open_ended',
      instructions: 'Reply to the patient in plain words.',
    },
  })
  const { runId, execution } = await startNewRun(ctx, {
    benchmarks: [BENCH],
    models: MODELS.map((m) => `ollama/${m}`),
  })
  expect(await execution.done).toBe('completed')
  writeScoringSettings(ctx, { judges: [...JUDGE_KEYS], embeddingModel: null })
  await scoreRun(ctx, runId, { judges: [...JUDGE_KEYS], embeddingModel: null })
  const set = await callThrough<ReviewSetSummary>(router, 'review:create-set', {
    runId,
    benchmarkId: BENCH,
    size: N,
    seed: 5,
  })
  const a = await callThrough<{ id: number }>(router, 'review:reviewer-open', { name: 'Dr Amal Haddad' })
  const b = await callThrough<{ id: number }>(router, 'review:reviewer-open', {
    name: 'Dr Ben Okafor',
    confirmSwitch: true,
  })
  rateSetLikeTheJury(ctx, set.id, [a.id, b.id], { rouge: false })
  await callThrough(router, 'models:endpoint-add', {
    name: 'hosp-vllm',
    url: `http://llm.hospital.test:${hospital.port}`,
    kind: 'ollama',
    approveReason: 'Hospital vLLM, DPIA 2026-14',
  })
  await callThrough(router, 'models:endpoint-add', {
    name: 'records-llm',
    url: `http://records.hospital.test:${hospital.port + 1}`,
    kind: 'openai',
  })
}

async function nav(page: Page, id: string): Promise<void> {
  await page.getByTestId(`nav-${id}`).click()
  await expect(page.getByTestId(`screen-${id}`)).toBeVisible()
}

test('every screen empty: each says what to do next, and fits', async ({ page, ctx, open }) => {
  ctx.env.OLLAMA_HOST = local.url
  await open()
  for (const id of ['taxonomy', 'benchmarks', 'models', 'runs', 'leaderboard', 'review', 'audit']) {
    await nav(page, id)
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible()
    await checkScreen(page, `empty-${id}`)
  }
})

test('every screen and its key states with a hospital’s data, at both sizes', async ({ page, ctx, open }) => {
  test.setTimeout(240_000)
  ctx.env.OLLAMA_HOST = local.url
  await buildHospital(ctx)
  await open()

  await nav(page, 'taxonomy')
  await checkScreen(page, 'taxonomy')
  await page.getByTestId('tile-patient_provider_messaging').click()
  await expect(page.getByTestId('subcategory-detail')).toContainText('Ward patient messages')
  await checkScreen(page, 'taxonomy-detail')

  await nav(page, 'benchmarks')
  await page.getByTestId(`benchmark-row-${BENCH}`).getByRole('button').first().click()
  await expect(page.getByTestId('benchmark-detail')).toContainText('Ward patient messages')
  await checkScreen(page, 'benchmarks-detail')
  await page.getByTestId('open-import').click()
  await expect(page.getByTestId('import-wizard')).toBeVisible()
  await checkScreen(page, 'benchmarks-import')

  await nav(page, 'models')
  await expect(page.getByTestId('reach-hosp-vllm')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('reach-records-llm')).toContainText('Blocked by the egress policy')
  // The reason names the endpoint and its destination once each.
  const why = (await page.getByTestId('reach-error-records-llm').textContent())!
  expect(why).not.toContain('records-llm')
  expect(why.split(`records.hospital.test:${hospital.port + 1}`)).toHaveLength(2)
  // Said once on the screen: the models list only names the endpoint it could not list.
  await expect(page.getByTestId('models-not-listed')).toHaveText(
    'Not listed: records-llm (not reached; the reason is in Endpoints above).',
  )
  await expect(page.getByText(/neither loopback nor an approved destination/)).toHaveCount(1)
  // One cell per endpoint for its name, kind and URL; the URL wraps only between its parts.
  const table = page.getByTestId('endpoints-table')
  await expect(table.getByRole('columnheader')).toHaveText([
    'Endpoint',
    'Egress policy',
    'Reachability',
    'Models',
    'Actions',
  ])
  await expect(page.getByTestId('endpoint-records-llm').getByRole('cell').first()).toContainText(
    `records-llmOpenAI-compatiblehttp://records.hospital.test:${hospital.port + 1}`,
  )
  await checkScreen(page, 'models')
  await page.getByTestId('revoke-hosp-vllm').click()
  await expect(page.getByTestId('revoke-dialog')).toBeVisible()
  await checkScreen(page, 'models-revoke-dialog')
  await page.getByTestId('revoke-dialog').getByRole('button', { name: 'Cancel' }).click()

  await nav(page, 'runs')
  await page.getByTestId('run-1').click()
  await expect(page.getByTestId('run-panel').getByTestId('run-status')).toHaveText('completed')
  await checkScreen(page, 'runs-finished')
  await page.getByTestId('run-items').getByRole('row').nth(1).click()
  await expect(page.getByTestId('item-detail')).toBeVisible()
  await checkScreen(page, 'runs-item-detail')
  await page.getByTestId('new-run').click()
  await expect(page.getByTestId('new-run-form')).toBeVisible()
  await checkScreen(page, 'runs-new-run')

  await nav(page, 'leaderboard')
  await expect(page.getByTestId('lb-ranked').locator('tbody tr')).toHaveCount(4)
  await checkScreen(page, 'leaderboard')

  await nav(page, 'review')
  await page
    .getByRole('list', { name: 'Existing reviewers' })
    .getByRole('button', { name: 'Dr Amal Haddad' })
    .click()
  await page
    .getByTestId('confirm-reviewer')
    .getByRole('button', { name: 'Continue as Dr Amal Haddad' })
    .click()
  await expect(page.getByTestId('review-sets')).toBeVisible()
  await checkScreen(page, 'review-sets')
  await page.getByTestId('review-sets').getByRole('button', { name: 'Agreement' }).click()
  await expect(page.getByTestId('agreement-panel')).toBeVisible()
  await checkScreen(page, 'review-agreement')
  await page.getByRole('button', { name: '← All review sets' }).click()
  await page
    .getByTestId('review-sets')
    .getByRole('button', { name: /Review again|Resume rating|Start rating/ })
    .first()
    .click()
  await expect(page.getByTestId('rating-view')).toBeVisible()
  await checkScreen(page, 'review-rating')

  await nav(page, 'audit')
  const log = page.getByTestId('requests-log')
  await expect(log).toBeVisible()
  await expect(page.getByTestId('chip-status-refused')).toBeVisible()
  await checkScreen(page, 'audit')
  // The log uses the window's height and scrolls inside itself.
  await page.setViewportSize({ width: 1024, height: 700 })
  expect((await log.boundingBox())!.height).toBeGreaterThanOrEqual(540)
  expect(await log.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true)
  const group = log.getByTestId('request-group').first()
  await group.getByRole('button').click()
  await expect(group.getByRole('button')).toHaveAttribute('aria-expanded', 'true')
  await checkScreen(page, 'audit-group-open')
  await page.getByTestId('view-rows').click()
  await expect(page.getByTestId('audit-log')).toBeVisible()
  await checkScreen(page, 'audit-rows')
})
