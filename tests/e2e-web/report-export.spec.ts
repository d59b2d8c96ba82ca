import { existsSync, readFileSync } from 'node:fs'
import { exportsDir } from '../../src/main/app/save-targets'
import { signerFor } from '../../src/main/signing/installation'
import { verifySignedFile } from '../../src/main/signing/files'
import type { FakeOllama } from '../support/fake-ollama'
import { startFake } from '../unit/review/helpers'
import { buildReportWorld } from '../unit/report/world'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'
import { screenshots } from './screens'

/**
 * An informatics lead exports the current leaderboard as a signed report for the AI governance
 * committee: Export report on the Leaderboard screen, scope = the selection on screen, examples
 * only after confirming they may hold patient data, progress while it builds, then where the file
 * is and which key signed it.
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFake()
})
test.afterAll(async () => fake.close())

test('export a signed HTML report of the current selection from the Leaderboard screen', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await buildReportWorld(ctx, ctx.dir)
  await open()
  await page.getByTestId('nav-leaderboard').click()
  await expect(page.getByTestId('lb-ranked')).toBeVisible()

  await page.getByTestId('lb-export-report').click()
  const dialog = page.getByTestId('er-dialog')
  await expect(dialog.getByRole('heading', { name: 'Export report for a committee' })).toBeVisible()
  await expect(dialog.getByTestId('er-scope')).toContainText('2 models, 1 benchmark;')
  await expect(dialog.getByTestId('er-scope')).toContainText('all categories; paired, Holm')

  // Examples need a confirmation that they may contain patient data.
  await dialog.getByTestId('er-examples').fill('2')
  await expect(dialog.getByTestId('er-examples-warning')).toContainText('they may contain patient data')
  await expect(dialog.getByTestId('er-export')).toBeDisabled()
  await dialog.getByLabel(/I understand; include 2 examples per benchmark/).check()
  await expect(dialog.getByTestId('er-export')).toBeEnabled()
  await expectAccessible(page, 'export report dialog with the examples warning')
  await screenshots(page, 'report-export-dialog')
  await dialog.getByTestId('er-examples').fill('0')
  await expect(dialog.getByTestId('er-examples-warning')).toHaveCount(0)

  await dialog.getByRole('radio', { name: /HTML/ }).check()
  await dialog.getByTestId('er-gpu-rate').fill('-1')
  await expect(dialog.getByTestId('er-export')).toBeDisabled()
  await dialog.getByTestId('er-gpu-rate').fill('2.5')
  await dialog.getByTestId('er-export').click()
  const result = dialog.getByTestId('er-result')
  const key = signerFor(ctx).fingerprint
  // Writing and signing the report is long work: on a busy 2-core machine it has taken over 5 s.
  await expect(result).toContainText('Report written and signed:', { timeout: 30_000 })
  await expect(result).toContainText(key)
  const file = (await result.locator('p').first().innerText())
    .replace('Report written and signed:', '')
    .trim()
  expect(file.startsWith(exportsDir(ctx.dataDir))).toBe(true)
  expect(file.endsWith('.html')).toBe(true)
  expect(existsSync(file)).toBe(true)
  const v = verifySignedFile(file, [key])
  expect(v).toMatchObject({ ok: true, layout: 'embedded' })
  expect(v.about?.scope).toContain('latest scored runs; all categories')
  expect(readFileSync(file, 'utf8')).toContain('$2.5 per GPU-hour')
  await screenshots(page, 'report-export-done')

  await dialog.getByRole('button', { name: 'Close' }).click()
  await expect(dialog).toBeHidden()
})
