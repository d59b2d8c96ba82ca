import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type { FakeOllama } from '../support/fake-ollama'
import { buildWorld, startWorldServer } from '../unit/analysis/world'
import { expect, test } from './fixtures'

/**
 * A governance committee reads what the leaderboard can and cannot tell: each cell's interval (on
 * hover and in its accessible name, wide ones marked), rank intervals and tie groups, who is
 * significantly better than whom per benchmark and per category, the paired and the labelled
 * unpaired view, a plain line per statistic; and, planning a run, how small a difference the
 * instance limit can detect. The world is described in tests/unit/analysis/world.ts.
 */

let server: Awaited<ReturnType<typeof startWorldServer>>
let fake: FakeOllama
test.beforeAll(async () => {
  server = await startWorldServer()
  fake = server.fake
})
test.afterAll(async () => fake.close())

async function noSeriousAxe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze()
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

test('intervals, rank intervals, tie groups, pairwise tests and the unpaired view', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await buildWorld(ctx, ctx.dir, server)
  await page.setViewportSize({ width: 1024, height: 700 })
  await open()
  await page.getByTestId('nav-leaderboard').click()

  const ranked = page.getByTestId('lb-ranked')
  await expect(ranked.locator('tbody tr')).toHaveCount(3)
  const alpha = page.getByTestId('lb-row-ollama/alpha')
  await expect(alpha.getByTestId('lb-rank-interval')).toHaveText('1')
  await expect(alpha.getByTestId('lb-winrate')).toHaveText('0.667')
  await expect(alpha.getByTestId('lb-winrate-ci')).toHaveText(/^\[0\.\d\d, 0\.\d\d\]$/)
  const beta = page.getByTestId('lb-row-ollama/beta')
  await expect(beta.getByTestId('lb-rank-interval')).toContainText('2–3')
  await expect(beta.getByTestId('lb-tie')).toHaveText('group 2: not separable on this data from ollama/gamma')

  // The heat map: the interval in each cell's accessible name and on hover; wide ones marked.
  const heat = page.getByTestId('lb-heatmap')
  const betaMcA = heat.getByLabel(
    /^ollama\/beta on Test mc_a: 0\.50 on 0 to 1; n = 6; 95% interval 0\.\d\d to 0\.\d\d — wide/,
  )
  await expect(betaMcA).toHaveAttribute('data-wide', 'true')
  await expect(betaMcA).toHaveAttribute(
    'title',
    /^n = 6; 95% interval .* — wide: too few instances to tell models apart\n6 of 6 scored/,
  )
  await expect(betaMcA).toContainText('±')
  await expect(
    heat.getByLabel(/^ollama\/beta on Patient questions notes: .*n = 1; too few instances for an interval/),
  ).toBeVisible()
  await expect(page.getByTestId('lb-notes')).toContainText(
    'Patient questions notes: the models were scored on different instances; compared on the 1 they all have (dropped: ollama/alpha 1).',
  )

  // Pairwise: alpha vs beta on mc_a, exact McNemar b = 3, c = 0 → p = 0.25 before adjustment.
  const pairs = page.getByTestId('lb-pairs')
  await expect(pairs.locator('caption')).toContainText('exact McNemar; Holm-adjusted p')
  await expect(pairs.locator('tbody tr').first()).toContainText('+0.50')
  await expect(page.getByTestId('lb-no-significant')).toContainText('No pair of models differs significantly')
  await page.getByTestId('lb-pair-scope').selectOption({ label: 'Patient questions notes' })
  await expect(pairs.locator('caption')).toContainText('paired sign-flip permutation')
  await page.getByTestId('lb-adjust').selectOption('bh')
  await expect(pairs.locator('caption')).toContainText('Benjamini–Hochberg-adjusted p')

  // A line per statistic, in plain words.
  const guide = page.getByTestId('lb-guide')
  await expect(guide).toContainText('Paired: on each benchmark every model is scored on the same instances')
  await expect(guide).toContainText('Rank interval: the ranks this model takes in 95% of re-samplings')
  await expect(guide).toContainText('p adjusted by Benjamini–Hochberg')
  await noSeriousAxe(page)
  await page.screenshot({ path: 'test-results/leaderboard-statistics.png', fullPage: true })

  // The unpaired view is labelled; alpha's notes cell now covers its own 2 instances.
  await page.getByTestId('lb-view-unpaired').check()
  await expect(page.getByTestId('lb-unpaired-label')).toContainText(
    'Unpaired view: each model on its own instances',
  )
  await expect(heat.getByLabel(/^ollama\/alpha on Patient questions notes: .*n = 2;/)).toBeVisible()
  await expect(page.getByTestId('lb-no-significant')).toContainText('No tests in the unpaired view')
  await noSeriousAxe(page)
})

test('the New-run form says how small a difference the instance limit can detect', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await buildWorld(ctx, ctx.dir, server)
  await open()
  await page.getByTestId('nav-runs').click()
  const form = page.getByTestId('new-run-form')
  if (!(await form.isVisible())) await page.getByRole('button', { name: /new run/i }).click()
  await form.getByTestId('run-limit').fill('30')
  await expect(form.getByTestId('run-power-hint')).toContainText(
    /^30 paired instances per benchmark can detect differences of about 0\.\d\d \(80% power, α = 0\.05\)/,
  )
  await expect(form.getByTestId('run-power-hint')).toContainText(
    'Based on how often models disagreed in earlier runs.',
  )
  // mc_a has 6 instances: the comparison rests on 6, whatever the limit.
  await form.getByTestId('pick-benchmark-mc_a').check()
  await expect(form.getByTestId('run-power-hint')).toContainText(
    /^6 paired instances are too few to detect any difference with 80% power\./,
  )
  await noSeriousAxe(page)
})
