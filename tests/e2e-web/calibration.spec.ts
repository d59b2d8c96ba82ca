import { readFileSync } from 'node:fs'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { createReviewSet } from '../../src/main/review/sets'
import type { FakeOllama } from '../support/fake-ollama'
import { clinician, offsetJury, rateAll } from '../unit/review/calibration-helpers'
import { BENCHMARK, scoredRun, startFake } from '../unit/review/helpers'
import { expect, test } from './fixtures'

/**
 * The Agreement screen's judge bias report and calibration panels, and the leaderboard's
 * calibrated scores: a run of two models scored by three judges (two of them one point harsher
 * than the clinician), a fully rated set of 36 outputs and a set of 20 (too few to calibrate on).
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFake(offsetJury)
})
test.afterAll(async () => fake.close())

async function noSeriousAxeViolations(page: Page, include: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include(include).analyze()
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
}

test('judge bias and calibration on the Agreement screen; calibrated scores on the leaderboard', async ({
  page,
  ctx,
  open,
}) => {
  test.setTimeout(120_000)
  ctx.env.OLLAMA_HOST = fake.url
  const runId = await scoredRun(ctx, ctx.dir, 18)
  const full = createReviewSet(ctx.db, { runId, benchmarkId: BENCHMARK, size: 36, seed: 1, showGold: false })
  const small = createReviewSet(ctx.db, { runId, benchmarkId: BENCHMARK, size: 20, seed: 2, showGold: false })
  rateAll(ctx, full, 'Dr A', clinician)
  rateAll(ctx, small, 'Dr A', clinician)
  await page.setViewportSize({ width: 1024, height: 700 })
  await open()
  await page.getByTestId('nav-review').click()
  await page.getByRole('list', { name: 'Existing reviewers' }).getByRole('button', { name: 'Dr A' }).click()
  const sets = page.getByTestId('review-sets')
  await sets
    .getByRole('row', { name: new RegExp(`^${full}\\b`) })
    .getByRole('button', { name: 'Agreement' })
    .click()

  // The bias report: plain-language verdicts and the table with intervals and family flags.
  const bias = page.getByTestId('bias-panel')
  await expect(bias.getByTestId('bias-verdicts')).toContainText(
    'ollama/judge-y scores 1.00 points lower than the clinicians on average (1–5 scale; a consistent difference).',
  )
  await expect(bias.getByTestId('bias-verdicts')).toContainText(
    'ollama/judge-x scores as the clinicians do on average (1–5 scale; difference 0.00).',
  )
  const table = bias.getByRole('table', { name: 'Judge bias against the clinicians' })
  await expect(table.getByRole('row', { name: /ollama\/judge-y/ })).toContainText('−1.00')
  await expect(table.getByRole('row', { name: /ollama\/judge-y/ })).toContainText('same family as')
  await expect(bias.getByTestId('bias-exclusion')).toContainText('every judge counts')
  await bias.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/calibration-bias-panel.png', fullPage: true })
  await noSeriousAxeViolations(page, '[data-testid="bias-panel"]')

  // Calibration: too few items in the small set is refused with the reason…
  const cal = page.getByTestId('calibration-panel')
  await expect(cal.getByTestId('calibration-none')).toBeVisible()
  await cal.getByRole('checkbox', { name: new RegExp(`^Set ${full} `) }).uncheck()
  await cal.getByRole('checkbox', { name: new RegExp(`^Set ${small} `) }).check()
  await cal.getByRole('button', { name: 'Fit calibration' }).click()
  await expect(cal.getByTestId('calibration-error')).toContainText(
    `calibration needs at least 30 items rated by a clinician on every criterion and scored by the jury; set ${small} has 20`,
  )
  // …the full set is fitted, stored, labelled, and compared before/after on held-out items.
  await cal.getByRole('checkbox', { name: new RegExp(`^Set ${small} `) }).uncheck()
  await cal.getByRole('checkbox', { name: new RegExp(`^Set ${full} `) }).check()
  await cal.getByRole('button', { name: 'Fit calibration' }).click()
  const result = cal.getByTestId('calibration-result')
  await expect(result).toContainText(`calibrated to 36 clinician ratings (set ${full})`)
  await expect(result.getByTestId('calibration-verdict')).toContainText(
    'calibration brings the jury closer to your clinicians',
  )
  await expect(result.getByRole('row', { name: /Raw \(before\)/ })).toContainText('−0.67')
  await expect(result.getByRole('img', { name: /Calibration map/ })).toBeVisible()
  await result.getByRole('img', { name: /Calibration map/ }).scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/calibration-panel.png', fullPage: true })
  await noSeriousAxeViolations(page, '[data-testid="calibration-panel"]')

  // The leaderboard shows calibrated jury scores beside the raw ones, labelled.
  await page.getByTestId('nav-leaderboard').click()
  await expect(page.getByTestId('lb-calibrated-panel')).toHaveCount(0)
  await page.getByTestId('lb-calibrated').check()
  const lb = page.getByTestId('lb-calibrated-panel')
  await expect(lb.getByRole('heading')).toContainText(
    `Jury scores calibrated to 36 clinician ratings (set ${full})`,
  )
  await expect(lb.getByRole('table')).toContainText('→')
  await expect(page.getByTestId('lb-notes')).toContainText(
    'ranks, win rates and macro-averages use the raw scores',
  )
  await page.screenshot({ path: 'test-results/calibration-leaderboard.png', fullPage: true })
  await noSeriousAxeViolations(page, '[data-testid="lb-calibrated-panel"]')

  // The committee report exported from this screen carries the same calibrated scores.
  await page.getByTestId('lb-export-report').click()
  const dialog = page.getByTestId('er-dialog')
  await expect(dialog.getByTestId('er-scope')).toContainText(
    `jury scores calibrated to 36 clinician ratings (set ${full}) beside the raw ones`,
  )
  await dialog.getByRole('radio', { name: /HTML/ }).check()
  await dialog.getByTestId('er-export').click()
  const written = dialog.getByTestId('er-result')
  // Writing and signing the report is long work: on a busy 2-core machine it has taken over 5 s.
  await expect(written).toContainText('Report written and signed:', { timeout: 30_000 })
  const file = (await written.locator('p').first().innerText())
    .replace('Report written and signed:', '')
    .trim()
  const html = readFileSync(file, 'utf8')
  expect(html).toContain('Raw and calibrated jury scores (1–5), calibration')
  expect(html).toContain(`Jury scores calibrated to 36 clinician ratings (set ${full})`)
})
