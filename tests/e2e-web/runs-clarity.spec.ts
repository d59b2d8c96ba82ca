import type { Page } from '@playwright/test'
import { scoreRun } from '../../src/main/jury/run/score-run'
import { writeScoringSettings } from '../../src/main/jury/run/settings'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import type { TempContext } from '../support/context'
import { buildWorld, startWorldServer } from '../unit/analysis/world'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from '../unit/jury-run/helpers'
import { importPack } from '../unit/runs/helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'
import { screenshots } from './screens'

/**
 * Issue 15, points 1 and 3 — what misled a hospital user on the Runs and Leaderboard screens:
 * judges and prices are picked from the known models (a typo cannot be saved, and main refuses one
 * naming the field); a scoring pass that fails says why on the Runs screen, with failed votes by
 * reason; a finished run summarises its results; the item browser spans the width with Model and
 * Benchmark columns and one 0–1 scale per score column; a similarity metric without an embedding
 * model is "not configured" with a link to the setting; the new-run form selects a whole category;
 * the leaderboard says when models were compared on different instances.
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: scriptedServer({
      'judge-a': { 0: [verdict(5, 4, 5)], 1: [verdict(4, 4, 4)], 2: [verdict(3, 3, 3)] },
      'judge-b': { 0: [verdict(4, 4, 4)], 1: [verdict(4, 3, 4)], 2: [verdict(3, 4, 3)] },
      // judge-c never gives a usable answer: its votes fail, with the reason kept.
      'judge-c': { 0: ['not json'], 1: ['not json'], 2: ['not json'] },
    }),
  })
})
test.afterAll(async () => fake.close())

/** A completed run of open-ended answers (by default ROUGE-L main, the jury, the similarity), opened on the Runs screen. */
async function openRun(
  page: Page,
  ctx: TempContext,
  open: () => Promise<void>,
  options: {
    manifest?: ReturnType<typeof openManifest>
    instances?: number
    /** Done to the run before the app opens (a scoring pass). */
    before?: (runId: number) => Promise<unknown>
  } = {},
): Promise<number> {
  ctx.env.OLLAMA_HOST = fake.url
  const runId = await completedRun(
    ctx,
    options.manifest ??
      openManifest('patient_qa', [{ name: 'rouge_l', main: true }, { name: 'jury' }, { name: 'bertscore' }]),
    openInstances(options.instances ?? 3),
    ctx.dir,
  )
  await options.before?.(runId)
  await open()
  await page.getByTestId('nav-runs').click()
  await page.getByText(`Run ${runId}`, { exact: true }).first().click()
  return runId
}

test('judges are picked from the known models; a typo is refused by main, naming the field', async ({
  page,
  ctx,
  open,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await openRun(page, ctx, open)
  const agreement = page.getByTestId('judge-agreement')
  await expect(agreement).toContainText('none chosen')
  await agreement.getByRole('button', { name: 'Change' }).click()
  const picker = agreement.getByTestId('judge-picker')
  // Every model the endpoint listed, each with its digest; no free-text key.
  await expect(picker.getByRole('checkbox')).toHaveCount(FAKE_MODELS.length)
  await expect(picker).toContainText(/ollama\/judge-a · digest [0-9a-f]{12}/)
  await expect(agreement.getByRole('textbox')).toHaveCount(0)
  for (const j of ['judge-a', 'judge-b', 'judge-c'])
    await picker.getByRole('checkbox', { name: new RegExp(`ollama/${j} `) }).check()
  await expect(picker.locator('legend')).toContainText('3 chosen')
  await expect(agreement.getByTestId('embedding-model')).toHaveValue('')
  await expectAccessible(page, 'jury settings form')
  await screenshots(page, 'issue15-jury-settings-form')
  await agreement.getByRole('button', { name: 'Save' }).click()
  await expect(agreement.locator('.sc-settings')).toContainText('ollama/judge-c')

  // Main refuses a key no endpoint lists, whoever sends it, with the field and the nearest model.
  const refused = await page.evaluate(async () => {
    const res = (await window.api.invoke('jury:settings-set', {
      judges: ['ollama/judge-a', 'ollama/jugde-b'],
      embeddingModel: null,
      excludeSameFamily: false,
    })) as { ok: boolean; error?: { message: string } }
    return res.ok ? 'saved' : (res.error?.message ?? '')
  })
  expect(refused).toMatch(/judges: no endpoint lists "ollama\/jugde-b" \(did you mean "ollama\/judge-b"\?\)/)
  await page.reload()
  await page.getByTestId('nav-runs').click()
  await expect(page.getByTestId('judge-agreement').locator('.sc-settings')).toContainText('ollama/judge-c')
})

test('a failed scoring pass says why; a finished run summarises its results; the item browser fits', async ({
  page,
  ctx,
  open,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  ctx.env.OLLAMA_HOST = fake.url
  const runId = await openRun(page, ctx, open)
  // The run is finished: a results table, not a wall of full progress bars.
  const results = page.getByTestId('run-results')
  await expect(results.locator('tbody tr')).toHaveCount(1)
  await expect(results).toContainText('jury: not scored yet')
  await expect(page.getByTestId('run-panel').getByRole('progressbar')).toHaveCount(1) // "All instances" only

  // A pass that completes: the summary shows the main metric and the jury, each with n.
  writeScoringSettings(ctx, { judges: [...JUDGE_KEYS], embeddingModel: null })
  await page.reload()
  await page.getByTestId('nav-runs').click()
  await page.getByText(`Run ${runId}`, { exact: true }).first().click()
  const agreement = page.getByTestId('judge-agreement')
  await agreement.getByRole('button', { name: 'Score run' }).click()
  await expect(results).toContainText(/jury \d\.\d\d \(0–1: \d\.\d\d\) · n = 3/, { timeout: 30_000 })
  await expect(results).toContainText(/rouge_l \d\.\d{3} · n = 3/)
  const outcome = agreement.getByTestId('scoring-outcome')
  await expect(outcome.getByRole('alert')).toHaveCount(0)
  // judge-c's unusable answers: 3 items × 3 criteria, counted by reason.
  await expect(outcome).toContainText('9 failed votes by reason')
  await expectAccessible(page, 'finished run summary')
  await screenshots(page, 'issue15-run-results')

  // A judge once listed but no longer served: the pass fails, and the screen says why.
  ctx.db
    .prepare(
      "INSERT INTO models (endpoint_id, name, last_seen_at) SELECT id, 'ghost-judge', '2026-01-01' FROM endpoints WHERE name = 'ollama'",
    )
    .run()
  writeScoringSettings(ctx, { judges: [...JUDGE_KEYS, 'ollama/ghost-judge'], embeddingModel: null })
  await page.reload()
  await page.getByTestId('nav-runs').click()
  await page.getByText(`Run ${runId}`, { exact: true }).first().click()
  await agreement.getByRole('button', { name: 'Score run' }).click()
  await expect(outcome.getByRole('alert')).toContainText(
    /Scoring failed: judge ollama\/ghost-judge: .*"ghost-judge" is not on this server/,
    { timeout: 30_000 },
  )
  await expect(outcome.locator('details')).toHaveAttribute('open', '')
  await expect(outcome.locator('table')).toContainText('ollama/judge-c')
  await expectAccessible(page, 'scoring failed')
  await screenshots(page, 'issue15-scoring-failed')

  // The item browser: Benchmark and Model columns; one 0–1 scale per score column, raw on hover.
  const grid = page.getByTestId('run-items')
  const headers = grid.getByRole('columnheader')
  await expect(headers.nth(1)).toHaveText('Benchmark')
  await expect(headers.nth(2)).toHaveText('Model')
  await expect(grid.getByRole('columnheader', { name: 'Main (0–1)' })).toBeVisible()
  await expect(grid.getByRole('columnheader', { name: 'Jury (0–1)' })).toBeVisible()
  const first = grid.getByRole('row').nth(1)
  await expect(first.getByRole('gridcell').nth(2)).toHaveText('ollama/llama3.2:3b')
  // Case 0: judge-a 5,4,5 and judge-b 4,4,4 → mean 26/6 = 4.33 of 5 → (4.33 − 1) / 4 = 0.83.
  const jury = first.getByRole('gridcell').nth(6)
  await expect(jury.locator('.run-score')).toHaveAttribute('title', 'jury 4.33 of 5')
  await expect(jury).toContainText('0.83')
  const box = await grid.boundingBox()
  expect(box!.width).toBeGreaterThan(1440 * 0.7) // the browser spans the screen, not a side column
  await first.click()
  await expect(jury).toContainText('(4.33/5)')

  // The detail: similarity without an embedding model is "not configured", with a link to the setting.
  const detail = page.getByTestId('item-detail')
  const notConfigured = detail.getByTestId('embedding-not-configured')
  await expect(notConfigured).toHaveText('not configured')
  await expect(notConfigured).not.toHaveClass(/danger|sc-status-failed/)
  await expect(detail).not.toContainText('--embedding-model')
  await expectAccessible(page, 'item detail')
  await page.getByRole('region', { name: 'Instances' }).scrollIntoViewIfNeeded()
  await page.evaluate(() =>
    document.querySelector('[aria-label="Instances"]')?.scrollIntoView({ block: 'start' }),
  )
  await screenshots(page, 'issue15-item-browser')
  await detail.scrollIntoViewIfNeeded()
  await screenshots(page, 'issue15-item-detail')
  for (const size of [
    { width: 1440, height: 900 },
    { width: 1024, height: 700 },
  ]) {
    await page.setViewportSize(size)
    // The vote grid and the metric table do not overlap, and neither leaves the detail panel.
    const voteGrid = await detail
      .getByRole('table', { name: 'Judge scores by criterion (1 to 5)' })
      .boundingBox()
    const metrics = await detail.getByRole('table', { name: 'Metric scores' }).boundingBox()
    const panel = await detail.boundingBox()
    const overlap =
      voteGrid!.x < metrics!.x + metrics!.width &&
      metrics!.x < voteGrid!.x + voteGrid!.width &&
      voteGrid!.y < metrics!.y + metrics!.height &&
      metrics!.y < voteGrid!.y + voteGrid!.height
    expect(overlap, `vote grid over the metric table at ${size.width}`).toBe(false)
    expect(voteGrid!.x + voteGrid!.width).toBeLessThanOrEqual(panel!.x + panel!.width + 1)
  }
  // At 1024 the item table keeps its answers on screen: latency and tokens move to the panel
  // below, the model shows its name without the endpoint (whole on hover), the chosen row shows
  // its raw values without bars.
  await expect(headers).toHaveCount(8)
  await expect(grid.getByRole('columnheader', { name: 'Latency' })).toHaveCount(0)
  await expect(grid.getByRole('columnheader', { name: 'Tokens' })).toHaveCount(0)
  await expect(detail).toContainText('Latency')
  await expect(first.getByRole('gridcell').nth(2)).toHaveText('llama3.2:3b')
  await expect(first.getByRole('gridcell').nth(2).locator('span')).toHaveAttribute(
    'title',
    'ollama/llama3.2:3b',
  )
  const answerHead = await grid.getByRole('columnheader', { name: 'Answer / error' }).boundingBox()
  const gridBox = await grid.boundingBox()
  expect(answerHead!.x + 60).toBeLessThan(gridBox!.x + gridBox!.width)
  await expect(jury).toContainText('(4.33/5)')
  await expect(jury.locator('.run-score-track')).toBeHidden()
  await page.setViewportSize({ width: 1440, height: 900 })
  await expect(headers).toHaveCount(10)
  await expect(grid.getByRole('columnheader', { name: 'Latency' })).toBeVisible()
  await expect(first.getByRole('gridcell').nth(2)).toHaveText('ollama/llama3.2:3b')
  await detail.getByRole('button', { name: 'Choose an embedding model' }).click()
  await expect(page.getByRole('form', { name: 'Jury settings' })).toBeVisible()
  await expect(page.getByTestId('embedding-model'))
    .toBeFocused({ timeout: 1000 })
    .catch(() => undefined)
})

test('a run whose main metric is the similarity shows "not configured" in its table, not a failure', async ({
  page,
  ctx,
  open,
}) => {
  await openRun(page, ctx, open, {
    manifest: openManifest('sim_qa', [{ name: 'bertscore', main: true }]),
    instances: 2,
    before: (runId) => scoreRun(ctx, runId, { judges: [], embeddingModel: null }),
  })
  const first = page.getByTestId('run-items').getByRole('row').nth(1)
  const main = first.getByRole('gridcell').nth(5)
  await expect(main).toHaveText('not configured')
  await expect(main.locator('.badge')).not.toHaveClass(/danger/)
  await expect(main.locator('.badge')).toHaveAttribute(
    'title',
    'No embedding model is chosen in the jury settings',
  )
  await expectAccessible(page, 'similarity not configured in the item table')
})

test('the new-run form selects every benchmark of a category at once', async ({ page, ctx, open }) => {
  // Two benchmarks in Clinical Decision Support (two subcategories), one elsewhere.
  const notes = (id: string, subcategory: string, category = 'clinical_decision_support') => ({
    ...openManifest(id, [{ name: 'rouge_l', main: true }]),
    taxonomy: { category, subcategory },
  })
  await importPack(ctx, ctx.dir, notes('cds_a', 'supporting_diagnostic_decisions'), openInstances(1))
  await importPack(ctx, ctx.dir, notes('cds_b', 'planning_treatments'), openInstances(1))
  await importPack(
    ctx,
    ctx.dir,
    notes('notes_c', 'documenting_care_plans', 'clinical_note_generation'),
    openInstances(1),
  )
  await open()
  await page.getByTestId('nav-runs').click()
  const form = page.getByTestId('new-run-form')
  const cds = form.getByRole('group', { name: 'Clinical Decision Support' })
  const all = cds.getByRole('checkbox', { name: /^Select all in Clinical Decision Support/ })
  await all.check()
  await expect(form.getByTestId('pick-benchmark-cds_a')).toBeChecked()
  await expect(form.getByTestId('pick-benchmark-cds_b')).toBeChecked()
  await expect(form.getByTestId('pick-benchmark-notes_c')).not.toBeChecked()
  await expect(cds).toContainText('(2 of 2 chosen)')
  await expectAccessible(page, 'new run form, a category chosen')
  await screenshots(page, 'issue15-new-run-category')
  // One unticked: the category's box is mixed; ticking it again chooses all, unticking clears them.
  await form.getByTestId('pick-benchmark-cds_b').uncheck()
  expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true)
  await all.click()
  await expect(form.getByTestId('pick-benchmark-cds_b')).toBeChecked()
  await all.click()
  await expect(form.getByTestId('pick-benchmark-cds_a')).not.toBeChecked()
  await expect(form.getByTestId('pick-benchmark-cds_b')).not.toBeChecked()
  await expect(cds).toContainText('(0 of 2 chosen)')
})

test('the leaderboard says which models lost instances to the paired comparison; prices are picked', async ({
  page,
  ctx,
  open,
}) => {
  const world = await startWorldServer()
  try {
    ctx.env.OLLAMA_HOST = world.fake.url
    await buildWorld(ctx, ctx.dir, world)
    await open()
    await page.getByTestId('nav-leaderboard').click()
    const banner = page.getByTestId('lb-pairing-banner')
    await expect(banner).toContainText('Paired on common instances only')
    await expect(banner).toContainText(
      /Patient questions notes — compared on 1 common instance; left out: ollama\/alpha 1/,
    )
    await expectAccessible(page, 'leaderboard paired, mixed')
    await screenshots(page, 'issue15-leaderboard-pairing')
    await page.getByTestId('lb-view-unpaired').check()
    await expect(banner).toContainText('Unpaired: on 1 benchmark the models answered different instances')
    await expectAccessible(page, 'leaderboard unpaired')

    // The price form picks the model: a known model, no free text.
    const prices = page.getByTestId('lb-prices')
    const key = prices.getByLabel('Model key')
    await expect(key.locator('option', { hasText: 'ollama/beta' })).toHaveCount(1)
    expect(await key.evaluate((el) => el.tagName)).toBe('SELECT')
  } finally {
    await world.fake.close()
  }
})
