import type { FakeOllama } from '../support/fake-ollama'
import { RUN_MODEL_KEYS, scoredRun, startFake } from '../unit/review/helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'

/**
 * A clinician reviews blind in the app: picks their name, makes a review set from a scored run of
 * two models, rates with the keyboard (skipping one output and coming back to it), stops and
 * resumes, then sees the models and the jury's scores next to theirs, and the agreement panel.
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFake()
})
test.afterAll(async () => fake.close())

test('blind review with the keyboard, resume, unblinded comparison and agreement', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await scoredRun(ctx, ctx.dir, 6)
  await open()
  await page.getByTestId('nav-review').click()

  await page.getByLabel('Your name').fill('Dr Playwright')
  await page.getByRole('button', { name: 'Start reviewing' }).click()
  await expect(page.getByTestId('current-reviewer')).toContainText('Dr Playwright')
  await expect(page.getByTestId('review-empty')).toContainText('No review set yet')
  await expectAccessible(page, 'review: no set yet')

  await page.getByLabel('Outputs to rate').fill('4')
  await page.getByRole('button', { name: 'Create set' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'created' })).toContainText('4 outputs')
  const sets = page.getByTestId('review-sets')
  await expect(sets).toContainText('0 / 4')
  await sets.getByRole('button', { name: 'Start rating' }).click()

  const rating = page.getByTestId('rating-view')
  await expect(rating.getByRole('heading', { name: /Output 1 of 4/ })).toBeVisible()
  await expect(rating.getByTestId('rating-output')).toContainText('rest and drink fluids')
  await expectAccessible(page, 'review: blind rating')
  // Blind: neither the model, nor the judges, nor any score of theirs is on the page.
  const body = page.locator('body')
  for (const hidden of [...RUN_MODEL_KEYS, 'model-a', 'model-b', 'judge-'])
    await expect(body).not.toContainText(hidden)

  // 1–5 score the highlighted criterion and move on; Enter saves and goes to the next output.
  await page.keyboard.press('4')
  await page.keyboard.press('5')
  await page.keyboard.press('3')
  await expect(rating.getByRole('radio', { name: 'Accuracy 4' })).toHaveAttribute('aria-checked', 'true')
  await expect(rating.getByRole('radio', { name: 'Completeness 5' })).toHaveAttribute('aria-checked', 'true')
  await expect(rating.getByRole('radio', { name: 'Clarity 3' })).toHaveAttribute('aria-checked', 'true')
  await page.keyboard.press('Enter')
  await expect(rating.getByRole('heading', { name: /Output 2 of 4/ })).toBeVisible()
  await expect(rating.getByRole('progressbar', { name: 'Rated' })).toHaveAttribute('aria-valuenow', '1')

  // S skips output 2; output 3 is rated; then stop for now.
  await page.keyboard.press('s')
  await expect(rating.getByRole('heading', { name: /Output 3 of 4/ })).toBeVisible()
  for (const key of ['2', '2', '2', 'Enter']) await page.keyboard.press(key)
  await expect(rating.getByRole('heading', { name: /Output 4 of 4/ })).toBeVisible()
  await rating.getByRole('button', { name: 'Stop for now' }).click()

  // Resume where the reviewer stopped.
  await expect(sets).toContainText('2 / 4')
  await sets.getByRole('button', { name: 'Resume rating' }).click()
  await expect(rating.getByRole('heading', { name: /Output 4 of 4/ })).toBeVisible()
  await rating.getByLabel('Comment (optional)').fill('Too short for this patient.')
  await rating.getByRole('radio', { name: 'Accuracy 1' }).click()
  await rating.getByRole('radio', { name: 'Completeness 2' }).click()
  await rating.getByRole('radio', { name: 'Clarity 1' }).click()
  await rating.getByRole('button', { name: 'Save and next' }).click()

  const end = page.getByTestId('review-end')
  await expect(end).toContainText('1 of 4 outputs are not rated yet (skipped)')
  await end.getByRole('button', { name: 'Go to the first unrated output' }).click()
  await expect(rating.getByRole('heading', { name: /Output 2 of 4/ })).toBeVisible()
  // P goes back to output 1, which shows the reviewer's own scores; → returns to output 2.
  await page.keyboard.press('p')
  await expect(rating.getByRole('heading', { name: /Output 1 of 4/ })).toContainText('rated')
  await expect(rating.getByRole('radio', { name: 'Completeness 5' })).toHaveAttribute('aria-checked', 'true')
  await page.keyboard.press('ArrowRight')
  await expect(rating.getByRole('heading', { name: /Output 2 of 4/ })).toBeVisible()
  // Saving the skipped output goes past the end: every other output is rated.
  for (const key of ['5', '5', '4', 'Enter']) await page.keyboard.press(key)
  await expect(end).toContainText('Every output of this set is rated')

  // Unblinded: the models and the jury's scores next to the reviewer's.
  await end.getByRole('button', { name: 'Compare with the jury' }).click()
  const unblinded = page.getByTestId('unblinded-view')
  const rows = unblinded
    .getByRole('table', { name: 'Clinician and jury scores per output' })
    .locator('tbody tr')
  await expect(rows).toHaveCount(4)
  await expectAccessible(page, 'review: unblinded comparison')
  await expect(rows.nth(0)).toContainText(/ollama\/model-[ab]:1b/)
  await expect(rows.nth(0)).toContainText(/4 \/ \d/)
  await expect(rows.nth(3)).toContainText('Too short for this patient.')
  await expect(unblinded).toContainText(RUN_MODEL_KEYS[0] as string)
  await expect(unblinded).toContainText(RUN_MODEL_KEYS[1] as string)

  // Agreement: 4 items are too few for an ICC, and the panel says so; the scatter shows them.
  await page.getByRole('button', { name: '← All review sets' }).click()
  await expect(sets).toContainText('4 / 4')
  await sets.getByRole('button', { name: 'Agreement' }).click()
  const panel = page.getByTestId('agreement-panel')
  await expect(panel.getByTestId('agreement-counts')).toContainText(
    '4 outputs in the set · 4 rated by a clinician · 4 scored by the jury',
  )
  await expect(panel.getByTestId('icc-jury-accuracy')).toContainText('not computable')
  await expect(panel.getByTestId('icc-jury-overall')).toContainText(
    '4 items have ratings from every rater; at least 10 are needed',
  )
  await expect(panel.getByTestId('icc-baseline-overall')).toContainText('needs at least 2 reviewers')
  await expect(page.getByTestId('agreement-scatter').getByRole('img')).toHaveAttribute(
    'aria-label',
    'Scatter of 4 outputs: jury score against clinician score',
  )
  await expectAccessible(page, 'review: agreement with too few items')
})
