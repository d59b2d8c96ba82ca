import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import type { TempContext } from '../support/context'
import type { FakeOllama } from '../support/fake-ollama'
import { buildWorld, startWorldServer } from '../unit/analysis/world'
import { expect, test } from './fixtures'
import { pricedWorld } from './worlds'

/**
 * Informatics staff compare models on the Leaderboard screen: the ranking by mean win rate, the
 * heat map of normalised scores (partial cells marked, every cell reachable from the keyboard),
 * one category's own ranking, cost against win rate, and a price set from the form. A governance
 * committee reads what the numbers can and cannot tell: each cell's interval (on hover and in its
 * accessible name, wide ones marked), rank intervals and tie groups, who is significantly better
 * than whom per benchmark and per category, the paired and the labelled unpaired view, a plain line
 * per statistic; and, planning a run, how small a difference the instance limit can detect.
 * The world (three models, three benchmarks, four runs) is described in tests/unit/analysis/world.ts.
 */

let server: Awaited<ReturnType<typeof startWorldServer>>
let fake: FakeOllama
test.beforeAll(async () => {
  server = await startWorldServer()
  fake = server.fake
})
test.afterAll(async () => fake.close())

test('with no scored run, the screen says to run models in Runs and score them', async ({ page, open }) => {
  await open()
  await page.getByTestId('nav-leaderboard').click()
  const empty = page.getByTestId('lb-empty')
  await expect(empty).toContainText('No scored run yet')
  await expect(empty).toContainText('then score the run')
  await empty.getByRole('button', { name: 'Open Runs' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Runs')
})

test('rank models, read the heat map by keyboard, filter a category, set a price', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await pricedWorld(ctx, server)
  await open()
  await page.getByTestId('nav-leaderboard').click()

  const ranked = page.getByTestId('lb-ranked')
  const rows = ranked.locator('tbody tr')
  await expect(rows).toHaveCount(3)
  await expect(rows.nth(0)).toContainText('ollama/alpha')
  await expect(rows.nth(0).getByTestId('lb-winrate')).toHaveText('0.667')
  await expect(rows.nth(1).getByTestId('lb-winrate')).toHaveText('0.417')
  await expect(rows.nth(2)).toContainText('scored on 2 of 3 benchmarks')
  // alpha: 12 answers × $0.003 = $0.036; its jury: 2 verdicts × $0.0006.
  await expect(page.getByTestId('lb-row-ollama/alpha')).toContainText('$0.036')
  await expect(page.getByTestId('lb-row-ollama/alpha')).toContainText('$0.0012')
  await expect(page.getByTestId('lb-row-ollama/beta')).toContainText('unknown (no price for ollama/beta)')
  // On screen the cell says "unknown"; why is on hover, to screen readers, and once in the notes.
  const betaCost = page.getByTestId('lb-row-ollama/beta').locator('.lb-unknown').first()
  await expect(betaCost).toHaveAttribute('title', 'unknown (no price for ollama/beta)')
  await expect(betaCost).toContainText('model unknown')
  await expect(betaCost.locator('.sr-only')).toHaveText(' (no price for ollama/beta)')
  await expect(page.getByTestId('lb-notes')).toContainText('No price is set for')
  await expect(page.getByTestId('lb-notes')).toContainText('2 of 8 cells are partial')

  // Heat map: beta's jury cell is partial (1 of 2 scored), rescaled from 2 on 1–5 to 0.25.
  const heat = page.getByTestId('lb-heatmap')
  await expect(heat.getByRole('columnheader', { name: 'Patient Communication' })).toBeVisible()
  const first = heat.locator('[data-cell="0:0"]')
  await first.focus()
  await expect(first).toHaveAttribute(
    'aria-label',
    /ollama\/alpha on Test mc_a: 1\.00 on 0 to 1; n = 6; 95% interval 1\.00 to 1\.00; 6 of 6 scored/,
  )
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowRight')
  await page.keyboard.press('ArrowRight')
  const focused = heat.locator('td:focus')
  await expect(focused).toHaveAttribute('data-cell', '1:2')
  await expect(focused).toHaveAttribute(
    'aria-label',
    'ollama/beta on Patient questions notes: 0.25 on 0 to 1, jury 2.00 of 5; n = 1; too few instances for an interval; 1 of 2 scored, 1 unscored (partial)',
  )
  await expect(focused).toContainText('1/2')
  await expect(heat.getByLabel('ollama/gamma on Test mc_b: not run')).toBeVisible()

  // Cost against win rate: gamma's cost is unknown (no token counts), so it is listed, not plotted at 0.
  const scatter = page.getByTestId('lb-scatter')
  await expect(scatter.getByRole('img')).toHaveAttribute(
    'aria-label',
    /ollama\/alpha \$3\.10 \(model \$3\.00, jury \$0\.1\), win rate 0\.667/,
  )
  await expect(scatter.getByTestId('lb-unplotted')).toContainText('ollama/gamma is not plotted: cost unknown')
  await scatter.getByRole('radio', { name: 'Runtime' }).click()
  await expect(scatter.getByRole('img')).toHaveAttribute(
    'aria-label',
    /ollama\/gamma 0\.3 s, win rate 0\.375/,
  )

  // One category: its own win rates.
  await page.getByTestId('lb-category').selectOption('patient_communication')
  await expect(rows.nth(1)).toContainText('ollama/gamma')
  await expect(rows.nth(1).getByTestId('lb-winrate')).toHaveText('0.500')
  await expect(rows.nth(2).getByTestId('lb-winrate')).toHaveText('0.000')
  await page.getByTestId('lb-category').selectOption('')
  await expect(rows.nth(1)).toContainText('ollama/beta')

  // A price for beta: 12 answers × (40 × $1 + 4 × $5) / 1M = $0.00072.
  const prices = page.getByTestId('lb-prices')
  await expect(prices.getByTestId('lb-unpriced')).toContainText('ollama/beta')
  await prices.getByLabel('Model key').selectOption('ollama/beta')
  await prices.getByLabel('Input, USD per 1M tokens').fill('1')
  await prices.getByLabel('Output, USD per 1M tokens').fill('5')
  await prices.getByRole('button', { name: 'Save price' }).click()
  await expect(page.getByTestId('lb-row-ollama/beta')).toContainText('$0.00072')
  await expect(prices.getByRole('row', { name: /ollama\/beta/ })).toContainText('5')
  await prices.getByRole('button', { name: 'Remove the price of ollama/beta' }).click()
  await expect(page.getByTestId('lb-row-ollama/beta')).toContainText('unknown (no price for ollama/beta)')

  // Only the older runs: gamma's mc_a cell comes from run 1 (0 of 6 right).
  await page.getByTestId('lb-runs').locator('summary').click()
  for (const id of [1, 2, 3]) await page.getByRole('checkbox', { name: new RegExp(`^Run ${id}\\b`) }).check()
  await page.getByRole('button', { name: 'Compare these runs' }).click()
  await expect(page.getByTestId('lb-runs').locator('summary')).toHaveText('Runs: only run 1, run 2, run 3')
  await expect(page.getByTestId('lb-row-ollama/gamma').getByTestId('lb-winrate')).toHaveText('0.250')
})

async function openWorld(ctx: TempContext, open: () => Promise<void>) {
  ctx.env.OLLAMA_HOST = fake.url
  await buildWorld(ctx, ctx.dir, server)
  await open()
}

/** axe-core on the page as it is: no serious or critical violation. */
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
  await page.setViewportSize({ width: 1024, height: 700 })
  await openWorld(ctx, open)
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
  await expect(pairs.locator('caption')).toContainText('on the jury’s 1–5 scale')
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
  await openWorld(ctx, open)
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
