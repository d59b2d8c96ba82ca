import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportsDir } from '../../src/main/app/save-targets'
import { readCsvRecords } from '../../src/main/csv/read'
import { buildWorld, startWorldServer } from '../unit/analysis/world'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'

/**
 * An analyst takes the results away: from the Leaderboard screen's "Export data" menu the
 * leaderboard as CSV and JSON and the HELM-shaped statistics; from a run on the Runs screen its
 * per-instance results, prompts and responses only after the patient-data warning is acknowledged.
 * Without a native save dialog (the browser bridge) files go to the exports folder. The world is
 * described in tests/unit/analysis/world.ts.
 */

const newest = (dir: string, prefix: string) =>
  join(
    dir,
    readdirSync(dir)
      .filter((f) => f.startsWith(prefix))
      .sort()
      .pop()!,
  )

test('export the leaderboard (CSV, JSON, HELM) and a run’s per-instance results', async ({
  page,
  ctx,
  open,
}) => {
  const server = await startWorldServer()
  try {
    ctx.env.OLLAMA_HOST = server.fake.url
    await buildWorld(ctx, ctx.dir, server)
  } finally {
    await server.fake.close() // the world is built; these screens need no model server
  }
  await page.setViewportSize({ width: 1024, height: 700 })
  await open()
  await page.getByTestId('nav-leaderboard').click()
  await expect(page.getByTestId('lb-ranked').locator('tbody tr')).toHaveCount(3)

  const menu = page.getByTestId('lb-export-menu')
  await menu.focus()
  await page.keyboard.press('Enter') // the menu opens from the keyboard
  await expect(page.getByTestId('lb-export-csv')).toBeVisible()
  await expectAccessible(page, 'leaderboard export menu open')
  await page.screenshot({ path: 'test-results/exports-menu-1024.png' })
  const box = (await page.getByTestId('lb-export-helm').boundingBox())!
  expect(box.x + box.width).toBeLessThanOrEqual(1024) // the open menu fits the window at 1024 × 700
  await page.getByTestId('lb-export-csv').click()
  const status = page.getByTestId('lb-export-status').getByRole('status')
  await expect(status).toContainText(/Saved \d+ rows to .*leaderboard-.*\.csv/)
  const dir = exportsDir(ctx.dataDir)
  const csv = readCsvRecords(newest(dir, 'leaderboard-'), 'leaderboard.csv')
  expect(csv[0]!.fields.slice(0, 5)).toEqual(['scope', 'scope_id', 'scope_name', 'category_id', 'model'])
  await expect(status).toContainText(`Saved ${csv.length - 1} rows`)

  await menu.click()
  await page.getByTestId('lb-export-json').click()
  await expect(status).toContainText(/Saved 3 models to .*leaderboard-.*\.json/)
  await menu.click()
  await page.getByTestId('lb-export-helm').click()
  await expect(status).toContainText(/Saved 3 models to .*helm-stats.*\.json/)
  const helm = JSON.parse(readFileSync(newest(dir, 'helm-stats'), 'utf8')) as {
    format: string
    models: unknown[]
  }
  expect(helm.format).toBe('wardeval-helm-stats')
  expect(helm.models).toHaveLength(3)
  await page.screenshot({ path: 'test-results/exports-leaderboard.png' })

  // Runs: the notes run's per-instance results, without and then with texts.
  await page.getByTestId('nav-runs').click()
  await page.getByTestId('run-3').click()
  const panel = page.getByTestId('run-panel')
  await panel.getByTestId('export-results').click()
  await page.getByTestId('export-results-jsonl').check()
  await expectAccessible(page, 'export results form')
  await page.getByTestId('export-results-go').click()
  const runStatus = page.getByTestId('export-results-status').getByRole('status')
  await expect(runStatus).toContainText(/Saved 6 records to .*run-3-results-.*\.jsonl/)
  const lines = readFileSync(newest(dir, 'run-3-results'), 'utf8').trim().split('\n')
  expect(lines.map((l) => JSON.parse(l) as { modelKey: string }).map((r) => r.modelKey)).toHaveLength(6)
  expect(lines[0]).not.toContain('"response"')

  await panel.getByTestId('export-results').click()
  await page.getByTestId('export-results-text').check()
  await expect(page.getByRole('alert').filter({ hasText: 'may contain patient data' })).toBeVisible()
  await expect(page.getByTestId('export-results-go')).toBeDisabled()
  await expectAccessible(page, 'export results with the patient-data warning')
  await page.screenshot({ path: 'test-results/exports-run-warning.png' })
  await page.getByTestId('export-results-confirm').check()
  await page.getByTestId('export-results-go').click()
  await expect(runStatus).toContainText(/Saved 6 records/)
  expect(readFileSync(newest(dir, 'run-3-results'), 'utf8')).toContain('"response":"Advice from')
})
