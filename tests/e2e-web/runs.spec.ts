import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runImport } from '../../src/main/benchmarks/import'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import { expect, test } from './fixtures'

/**
 * The Runs screen against the loopback fake Ollama: a run is started from the new-run form,
 * its progress is followed live to completion, and the per-instance browser shows the prompt,
 * the answer, the reference and the score.
 */

const LETTERS = ['A', 'B', 'C', 'D']
let fake: FakeOllama

test.beforeAll(async () => {
  fake = await startFakeOllama({
    answer: async (req) => {
      // Slow enough that live progress is seen before the end.
      await new Promise((r) => setTimeout(r, 40))
      const m = /Case (\d+):/.exec(req.lastUser)
      return { text: m ? LETTERS[Number(m[1]) % 4]! : 'A', completionTokens: 1 }
    },
  })
})
test.afterAll(async () => fake.close())
test.use({ appEnv: {} })

async function importTriage(dir: string, n: number): Promise<string> {
  const folder = join(dir, 'ui-pack')
  mkdirSync(folder, { recursive: true })
  writeFileSync(
    join(folder, 'manifest.json'),
    JSON.stringify({
      id: 'ui_triage',
      name: 'UI triage',
      version: '1',
      taxonomy: { category: 'clinical_decision_support', subcategory: 'supporting_diagnostic_decisions' },
      access: 'private',
      taskType: 'multiple_choice',
      prompt: {
        instructions: 'Choose the triage level. Answer with the letter only.',
        template: '{{instructions}}\n\n{{input}}\n{{choices}}',
        outputNoun: 'Answer',
        maxTokens: 1,
      },
      metrics: [{ name: 'exact_match', main: true }],
    }),
  )
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `case-${i}`,
      input: `Case ${i}: which triage level?`,
      choices: ['Immediate', 'Urgent', 'Soon', 'Routine'],
      references: [LETTERS[i % 4]],
    }),
  )
  writeFileSync(join(folder, 'instances.jsonl'), lines.join('\n') + '\n')
  return folder
}

test('start a run from the form, follow its progress to the end, and browse its instances', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await runImport(ctx, { format: 'pack', path: await importTriage(ctx.dir, 40) })
  fake.reset()
  await open()
  await page.getByTestId('nav-runs').click()
  const screen = page.getByTestId('screen-runs')
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Runs')

  const form = page.getByTestId('new-run-form')
  await expect(form).toBeVisible()
  const category = form.getByRole('group', { name: 'Clinical Decision Support' })
  await expect(category.getByText('Supporting Diagnostic Decisions')).toBeVisible()
  // No model listed yet: ask the endpoints.
  await form.getByRole('button', { name: 'Refresh models' }).click()
  await form.getByTestId('pick-model-ollama/llama3.2:3b').check()
  await form.getByTestId('pick-benchmark-ui_triage').check()
  await form.getByTestId('run-limit').fill('24')
  await expect(form.getByRole('status')).toContainText('24 requests at most')
  await form.getByLabel('Requests in flight per endpoint').fill('2')
  await form.getByTestId('start-run').click()

  const panel = page.getByTestId('run-panel')
  await expect(panel).toBeVisible()
  const overall = panel.getByRole('progressbar', { name: 'All instances' })
  await expect(overall).toHaveAttribute('aria-valuemax', '24')
  await expect(panel.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 })
  await expect(overall).toHaveAttribute('aria-valuenow', '24')
  // Finished: a summary of the results instead of a progress bar per benchmark × model.
  const results = panel.getByTestId('run-results')
  await expect(results.getByRole('row', { name: /UI triage ollama\/llama3\.2:3b/ })).toContainText(
    'exact_match 1.000 · n = 24',
  )
  await expect(panel.getByRole('progressbar')).toHaveCount(1)
  expect(fake.requests.filter((r) => r.path === '/api/chat')).toHaveLength(24)

  // The per-instance browser: 24 rows, keyboard and click open the full instance.
  const grid = page.getByTestId('run-items')
  await expect(grid).toHaveAttribute('aria-rowcount', '24')
  const firstRow = grid.getByRole('row').nth(1)
  await firstRow.click()
  const detail = page.getByTestId('item-detail')
  await expect(detail.getByTestId('item-prompt')).toContainText(
    'Choose the triage level. Answer with the letter only.',
  )
  await expect(detail.getByTestId('item-prompt')).toContainText(
    'A. Immediate\nB. Urgent\nC. Soon\nD. Routine\nAnswer:',
  )
  const reference = (await detail.getByTestId('item-reference').textContent())!.trim()
  await expect(detail.getByTestId('item-response')).toHaveText(reference)
  await expect(detail.getByTestId('instance-scores')).toContainText('exact_match')
  await expect(detail.getByTestId('instance-scores')).toContainText('1')
  await expect(detail).toContainText(/\d+ in · 1 out/)
  await expect(detail).toContainText(/\d+ ms/)
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  await expect(grid.locator('[aria-selected="true"]')).toHaveCount(1)

  // Export the manifest.
  await panel.getByTestId('export-manifest').click()
  await expect(page.getByRole('status').filter({ hasText: 'Manifest written to' })).toContainText(
    'run-1-manifest.json',
  )
})

test('pause and resume from the UI; a repeated run comes from the cache', async ({ page, ctx, open }) => {
  ctx.env.OLLAMA_HOST = fake.url
  await runImport(ctx, { format: 'pack', path: await importTriage(ctx.dir, 30) })
  // One request at a time, 150 ms each: long enough to pause in the middle.
  fake.answer(async (req) => {
    await new Promise((r) => setTimeout(r, 150))
    const m = /Case (\d+):/.exec(req.lastUser)
    return { text: m ? LETTERS[Number(m[1]) % 4]! : 'A', completionTokens: 1 }
  })
  await open()
  await page.getByTestId('nav-runs').click()
  const form = page.getByTestId('new-run-form')
  await form.getByRole('button', { name: 'Refresh models' }).click()
  await form.getByTestId('pick-model-ollama/llama3.2:3b').check()
  await form.getByTestId('pick-benchmark-ui_triage').check()
  await form.getByLabel('Requests in flight per endpoint').fill('1')
  await form.getByTestId('start-run').click()

  const panel = page.getByTestId('run-panel')
  await panel.getByTestId('pause-run').click()
  await expect(panel.getByTestId('run-status')).toHaveText('paused')
  const done = Number(
    await panel.getByRole('progressbar', { name: 'All instances' }).getAttribute('aria-valuenow'),
  )
  expect(done).toBeLessThan(30)
  await panel.getByTestId('resume-run').click()
  await expect(panel.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 })

  fake.reset()
  await page.getByTestId('new-run').click()
  await form.getByTestId('pick-model-ollama/llama3.2:3b').check()
  await form.getByTestId('pick-benchmark-ui_triage').check()
  await form.getByTestId('start-run').click()
  await expect(page.getByTestId('run-2')).toBeVisible()
  await expect(panel.getByTestId('run-status')).toHaveText('completed', { timeout: 30_000 })
  await expect(panel.getByRole('progressbar', { name: 'All instances' })).toHaveAttribute(
    'aria-valuenow',
    '30',
  )
  await expect(panel).toContainText('30 from cache')
  // Nothing was asked of the model (the status bar's version checks aside).
  expect(fake.requests.filter((r) => r.path !== '/api/version')).toHaveLength(0)
})

test('retried requests are visible on the Runs screen: every request sent, the failures by kind', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await runImport(ctx, { format: 'pack', path: await importTriage(ctx.dir, 12) })
  fake.reset()
  const stop = fake.inject({ match: '/api/chat', fault: { type: 'status', status: 500 }, times: 3 })
  const { startNewRun } = await import('../../src/main/runs/control')
  const { execution } = await startNewRun(ctx, {
    benchmarks: ['ui_triage'],
    models: ['ollama/llama3.2:3b'],
    settings: { concurrency: 1, backoffMs: 1 },
  })
  expect(await execution.done).toBe('completed')
  stop()
  await open()
  await page.getByTestId('nav-runs').click()
  await page.getByTestId('run-1').click()
  const panel = page.getByTestId('run-panel')
  await expect(panel.getByTestId('run-requests')).toHaveText(
    'Requests sent: 15 (12 answered, 3 failed: HTTP 500 ×3)',
  )
  await panel.getByText('Failed requests (retried or given up)').click()
  const table = panel.getByRole('table', { name: 'Failed requests by endpoint, model and kind' })
  await expect(table.getByRole('row').nth(1)).toHaveText(/ollama\s*ollama\/llama3.2:3b\s*HTTP 500\s*3/)
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: 'test-results/runs-retries.png', fullPage: false })
  const { default: AxeBuilder } = await import('@axe-core/playwright')
  const axe = await new AxeBuilder({ page }).include('[data-testid="run-panel"]').analyze()
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
})
