import type { Locator, Page } from '@playwright/test'
import { explanationParts, type STATISTIC_EXPLANATIONS } from '../../src/shared/statistics-text'
import type { FakeOllama } from '../support/fake-ollama'
import { buildWorld, startWorldServer } from '../unit/analysis/world'
import { startFake } from '../unit/review/helpers'
import { ratedSetOfTwoClinicians } from '../unit/review/league-helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'
import { screenshots } from './screens'

/**
 * Issue 15 point 4: every number a clinician must read is explained on the screen, in words that
 * stay visible (not only in a tooltip) — mean win rate, macro-average, intervals and runtime on the
 * Leaderboard; ICC with a plain verdict on the Agreement screen; judge spread beside the jury's
 * figures on the Runs screen. And runtimes that differ read differently (they all read "0.16 s").
 */

type Kind = keyof typeof STATISTIC_EXPLANATIONS

/** The line for `kind` is in `notes`, visible, with the shared wording. */
async function expectExplained(notes: Locator, kind: Kind): Promise<void> {
  const { term, text } = explanationParts(kind)
  const line = notes.getByTestId(new RegExp(`-${kind}$`))
  await expect(line).toBeVisible()
  await expect(line.locator('dt')).toHaveText(term)
  await expect(line.locator('dd')).toHaveText(text)
}

/** axe on the page, then screenshots at both sizes with `shown` in view. */
async function check(page: Page, name: string, shown: Locator): Promise<void> {
  await expectAccessible(page, name)
  await shown.scrollIntoViewIfNeeded()
  await screenshots(page, name)
}

test.describe('leaderboard', () => {
  let world: Awaited<ReturnType<typeof startWorldServer>>
  test.beforeAll(async () => {
    world = await startWorldServer()
  })
  test.afterAll(async () => world.fake.close())

  test('the ranking explains each figure beside it, and close runtimes read distinctly', async ({
    page,
    ctx,
    open,
  }) => {
    ctx.env.OLLAMA_HOST = world.fake.url
    await buildWorld(ctx, ctx.dir, world)
    // Local models answer in nearly the same time: 158.2, 158.4 and 158.9 ms per answer.
    const setLatency = ctx.db.prepare(
      `UPDATE responses SET latency_ms = ? WHERE request_id IN
         (SELECT id FROM requests WHERE model_name = ? AND purpose = 'run')`,
    )
    setLatency.run(158.2, 'alpha')
    setLatency.run(158.4, 'beta')
    setLatency.run(158.9, 'gamma')
    await open()
    await page.getByTestId('nav-leaderboard').click()

    const ranked = page.getByTestId('lb-ranked')
    await expect(ranked.locator('tbody tr')).toHaveCount(3)
    const notes = page.getByTestId('lb-figure-notes')
    for (const kind of ['winRate', 'macro', 'ci', 'rank', 'runtime'] as const)
      await expectExplained(notes, kind)
    await expect(notes).toContainText('0.5 = middle of the field')

    // Runtime: one figure per model, distinct, in the order of the runtime win rate.
    await expect(page.getByTestId('lb-row-ollama/alpha').getByTestId('lb-runtime')).toContainText('158.2 ms')
    await expect(page.getByTestId('lb-row-ollama/beta').getByTestId('lb-runtime')).toContainText('158.4 ms')
    await expect(page.getByTestId('lb-row-ollama/gamma').getByTestId('lb-runtime')).toContainText('158.9 ms')
    await expect(page.getByTestId('lb-row-ollama/alpha').getByTestId('lb-runtime')).toContainText('win 1.00')
    await expect(page.getByTestId('lb-row-ollama/gamma').getByTestId('lb-runtime')).toContainText('win 0.00')
    await expect(ranked).not.toContainText('0.16 s')
    await check(page, 'explanations-leaderboard', notes)
  })
})

test.describe('agreement and jury', () => {
  let fake: FakeOllama
  test.beforeAll(async () => {
    fake = await startFake()
  })
  test.afterAll(async () => fake.close())

  test('ICC with a plain verdict and its meaning; the jury’s spread explained on Runs', async ({
    page,
    ctx,
    open,
  }) => {
    ctx.env.OLLAMA_HOST = fake.url
    const { runId } = await ratedSetOfTwoClinicians(ctx, ['Dr Notes A', 'Dr Notes B'])

    await open()
    await page.getByTestId('nav-review').click()
    await page
      .getByRole('list', { name: 'Existing reviewers' })
      .getByRole('button', { name: 'Dr Notes A' })
      .click()
    await page.getByTestId('confirm-reviewer').getByRole('button', { name: 'Continue as Dr Notes A' }).click()
    await page.getByTestId('review-sets').getByRole('button', { name: 'Agreement' }).click()

    const verdict = page.getByTestId('icc-jury-overall-verdict')
    await expect(verdict).toBeVisible()
    await expect(verdict).toHaveText(
      /^(Poor|Moderate|Good|Excellent)( to (moderate|good|excellent))?( \(from the estimate alone[^)]*\))? agreement: the scores /,
    )
    await expect(page.getByTestId('icc-baseline-overall-verdict')).toContainText('among themselves')
    const notes = page.getByTestId('agreement-figure-notes')
    for (const kind of ['icc', 'iccBaseline', 'ci'] as const) await expectExplained(notes, kind)
    const league = page.getByTestId('league-figure-notes')
    for (const kind of ['icc', 'spearman', 'kappa'] as const) await expectExplained(league, kind)
    await check(page, 'explanations-agreement', notes)

    await page.getByTestId('nav-runs').click()
    await page.getByText(`Run ${runId}`, { exact: true }).first().click()
    const jury = page.getByTestId('jury-figure-notes')
    for (const kind of ['judgeSpread', 'meanAbsDiff', 'exactAgreement', 'failedVotes'] as const)
      await expectExplained(jury, kind)
    await check(page, 'explanations-jury', jury)
  })
})
