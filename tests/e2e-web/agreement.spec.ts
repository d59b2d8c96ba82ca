import AxeBuilder from '@axe-core/playwright'
import type { FakeOllama } from '../support/fake-ollama'
import { startFake } from '../unit/review/helpers'
import { ratedSetOfTwoClinicians } from '../unit/review/league-helpers'
import { expect, test } from './fixtures'
import { openAgreementAs } from './worlds'

/**
 * The Agreement screen answers "which automatic scorer agrees best with our clinicians": the scorer
 * league with Koo & Li labels and plain-language verdicts, the league pooled across sets, and the
 * scatter of jury against clinicians with the identity line and a fitted line — accessible (axe).
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFake()
})
test.afterAll(async () => fake.close())

test('scorer league, verdicts, pooled league and scatter on the Agreement screen', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  const { setId } = await ratedSetOfTwoClinicians(ctx, ['Dr Scatter A', 'Dr Scatter B'])

  await page.setViewportSize({ width: 1024, height: 700 })
  await open()
  await page.getByTestId('nav-review').click()
  // Dr Scatter B was the last reviewer on this computer: the switch is confirmed.
  await openAgreementAs(page, 'Dr Scatter A')

  await expect(page.getByTestId('league-headline')).toContainText(
    'agrees best with your clinicians: ICC(3,k)',
  )
  const league = page.getByTestId('league-set')
  await expect(league).toBeVisible()
  const rows = league.locator('tbody tr')
  await expect(rows).toHaveCount(5)
  // Best first: the jury (its clinicians follow it) ranks above ROUGE-L; each row has a Koo & Li label.
  await expect(league.getByTestId('league-row-jury')).toContainText('LLM jury (3 judges)')
  await expect(league.getByTestId('league-row-rouge_l')).toContainText('ROUGE-L')
  await expect(league.getByTestId('league-row-rouge_l')).toContainText(
    'κ needs scores on the clinicians’ 1–5 scale',
  )
  const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))
  expect(order.indexOf('league-row-jury')).toBeLessThan(order.indexOf('league-row-rouge_l'))
  await expect(rows.first().locator('td').first()).toHaveText('1')
  await expect(league.getByTestId('league-row-jury')).toContainText(/(poor|moderate|good|excellent)/)
  const verdicts = page.getByTestId('league-set-verdicts')
  await expect(verdicts).toContainText(
    /LLM jury \(3 judges\): (poor|moderate|good|excellent)[a-z ]* agreement with the clinicians \(ICC\(3,k\) /,
  )
  await expect(page.getByTestId('league-set-baseline')).toContainText('Dr Scatter A and Dr Scatter B')

  // The scatter: points, the identity line and the fitted line, with a plain-language legend.
  const scatter = page.getByTestId('agreement-scatter')
  await expect(scatter.getByRole('img')).toHaveAttribute(
    'aria-label',
    'Scatter of 14 outputs: jury score against clinician score',
  )
  await expect(scatter.locator('.recharts-reference-line')).toHaveCount(2)
  await expect(page.getByTestId('scatter-legend')).toContainText(
    /clinicians ≈ -?\d\.\d\d \+ -?\d\.\d\d × jury/,
  )

  // Pooled across every review set.
  await page.getByRole('button', { name: 'Pool all review sets' }).click()
  const pooled = page.getByTestId('league-pooled')
  await expect(pooled.locator('tbody tr')).toHaveCount(5)
  await expect(page.getByTestId('pooled-panel')).toContainText(`Review sets ${setId}`)

  await page.getByTestId('league-headline').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/agreement-page.png' })
  await page.getByTestId('league-panel').screenshot({ path: 'test-results/agreement-league.png' })
  await scatter.screenshot({ path: 'test-results/agreement-scatter.png' })

  const axe = await new AxeBuilder({ page }).analyze()
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
})
