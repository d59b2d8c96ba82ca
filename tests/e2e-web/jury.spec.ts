import { writeScoringSettings } from '../../src/main/jury/run/settings'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import {
  FAKE_MODELS,
  JUDGE_KEYS,
  completedRun,
  openInstances,
  openManifest,
  scriptedServer,
  verdict,
} from '../unit/jury-run/helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'

/**
 * Clinicians and informatics staff see the jury in the app: a run of an open-ended benchmark is
 * scored from the Runs screen, judge agreement appears, and an instance shows each judge's votes
 * side by side with the metric scores — including a judge whose answers could not be used.
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFakeOllama({
    models: FAKE_MODELS,
    answer: scriptedServer({
      'judge-a': { 0: [verdict(5, 4, 5)], 1: [verdict(4, 4, 4)] },
      'judge-b': { 0: [verdict(4, 4, 4)], 1: [verdict(4, 3, 4)] },
      // judge-c answers out of range every time: its votes are failed, never clamped to 5.
      'judge-c': { 0: [verdict(9, 9, 9)], 1: [verdict(3, 3, 3)] },
    }),
  })
})
test.afterAll(async () => fake.close())

test('score a run with the jury from the Runs screen and read each judge’s votes', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  const runId = await completedRun(
    ctx,
    openManifest('patient_qa', [{ name: 'jury', main: true }, { name: 'rouge_l' }]),
    openInstances(2),
    ctx.dir,
  )
  writeScoringSettings(ctx, { judges: [...JUDGE_KEYS], embeddingModel: null })
  await open()
  await page.getByTestId('nav-runs').click()
  await page.getByText(`Run ${runId}`, { exact: true }).first().click()

  const agreement = page.getByTestId('judge-agreement')
  await agreement.getByRole('button', { name: 'Score run' }).click()
  await expect(agreement.getByRole('button', { name: 'Score run' })).toBeEnabled({ timeout: 30_000 })
  // 6 votes on case 0 by judge-c (3 criteria) failed out of 18 votes.
  await expect(agreement).toContainText('3 of 18')
  await expectAccessible(page, 'runs: scored by the jury, one judge failing')

  await page.getByTestId('run-items').getByRole('row').nth(1).click()
  const scores = page.getByTestId('item-detail').getByTestId('instance-scores')
  // Case 0: judge-a 5,4,5 and judge-b 4,4,4 are valid; judge-c failed → mean 26/6.
  await expect(scores.getByTestId('jury-summary')).toContainText('4.33')
  await expect(scores.getByTestId('jury-summary')).toContainText('3 failed')
  const grid = scores.getByRole('table', { name: 'Judge scores by criterion (1 to 5)' })
  await expect(grid).toContainText('judge-c')
  await expect(grid.getByText('failed')).toHaveCount(3)
  await expect(scores).toContainText('rouge_l')
  await expectAccessible(page, 'runs: an item with its judges’ votes')
})
