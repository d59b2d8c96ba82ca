import AxeBuilder from '@axe-core/playwright'
import { writeScoringSettings } from '../../src/main/jury/run/settings'
import { listModels } from '../../src/main/models/catalog'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import {
  completedRun,
  isJudgePrompt,
  openInstances,
  openManifest,
  RUN_MODEL,
  verdict,
} from '../unit/jury-run/helpers'
import { expect, test } from './fixtures'

/**
 * The self-preference guard from the jury settings on the Runs screen: the evaluated model and one
 * judge are of the llama family (Ollama's details); once same-family judges are left out, the
 * item's jury score is the mean of the other judges and says who was left out.
 */

const JUDGES = ['ollama/house-judge', 'ollama/qwen-judge', 'ollama/gemma-judge']
let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFakeOllama({
    models: [
      { name: RUN_MODEL, family: 'llama' },
      { name: 'house-judge', family: 'llama' },
      { name: 'qwen-judge', family: 'qwen2' },
      { name: 'gemma-judge', family: 'gemma3' },
    ],
    answer: (req) =>
      isJudgePrompt(req) ? (req.model === 'house-judge' ? verdict(5, 5, 5) : verdict(2, 2, 2)) : 'Rest.',
  })
})
test.afterAll(async () => fake.close())

test('leave same-family judges out from the jury settings and see it on the item', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await listModels(ctx, { refresh: true })
  const runId = await completedRun(
    ctx,
    openManifest('family_qa', [{ name: 'jury', main: true }]),
    openInstances(1),
    ctx.dir,
  )
  writeScoringSettings(ctx, { judges: JUDGES, embeddingModel: null })
  await open()
  await page.getByTestId('nav-runs').click()
  await page.getByText(`Run ${runId}`, { exact: true }).first().click()

  const agreement = page.getByTestId('judge-agreement')
  await expect(agreement.getByTestId('same-family-setting')).toContainText('Same-family judges: counted')
  await agreement.getByRole('button', { name: 'Change' }).click()
  await agreement
    .getByRole('checkbox', { name: /Leave judges of an evaluated model's own family out/ })
    .check()
  const axe = await new AxeBuilder({ page }).include('[data-testid="judge-agreement"]').analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
  await agreement.getByRole('button', { name: 'Save' }).click()
  await expect(agreement.getByTestId('same-family-setting')).toContainText('left out of a model’s jury score')

  await agreement.getByRole('button', { name: 'Score run' }).click()
  await expect(agreement.getByRole('button', { name: 'Score run' })).toBeEnabled({ timeout: 30_000 })
  await page.getByTestId('run-items').getByRole('row').nth(1).click()
  const summary = page.getByTestId('item-detail').getByTestId('jury-summary')
  await expect(summary).toContainText('2.00')
  await expect(summary).toContainText(
    'mean of the remaining judges, left out: ollama/house-judge (same family as the evaluated model (llama))',
  )
})
