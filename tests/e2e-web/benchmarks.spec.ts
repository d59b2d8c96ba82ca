import { join } from 'node:path'
import { expectAccessible } from './a11y'
import { screenshots } from './screens'
import { expect, test } from './fixtures'

const FIXTURES = join(__dirname, '../fixtures/benchmarks')

test('a newcomer sees the taxonomy coverage map with the bundled samples at once', async ({ page, open }) => {
  await open()
  const screen = page.getByTestId('screen-taxonomy')
  await expect(screen.getByTestId('coverage-summary')).toContainText(
    '5 of 22 subcategories covered by 5 loaded benchmarks (140 instances)',
  )
  await expect(screen.locator('.coverage-tile')).toHaveCount(22)
  await expect(page.getByTestId('tile-conducting_literature_research')).toHaveAttribute(
    'data-covered',
    'true',
  )
  await expect(page.getByTestId('tile-recording_procedures')).toHaveAttribute('data-covered', 'false')
  // Drill down: the subcategory's benchmarks with their instance counts.
  await page.getByTestId('tile-conducting_literature_research').click()
  const detail = page.getByTestId('subcategory-detail')
  await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Conducting Literature Research')
  await expect(detail.getByTestId('coverage-benchmark-pubmed_qa')).toContainText('Loaded (sample)')
  await expect(detail.getByTestId('coverage-benchmark-pubmed_qa')).toContainText('30')
  // Guidance a user can act on: what it covers, examples, how to add evidence.
  await expect(detail.getByTestId('subcategory-summary')).toContainText('medical literature')
  await expect(detail.getByTestId('subcategory-examples').locator('li')).not.toHaveCount(0)
  await expect(detail).not.toContainText(/[0-9a-f]{40}/)
  // The details open right below the chosen tile's row, at both window sizes.
  for (const size of [
    { width: 1024, height: 700 },
    { width: 1440, height: 900 },
  ]) {
    await page.setViewportSize(size)
    const tile = (await page.getByTestId('tile-conducting_literature_research').boundingBox())!
    const panel = (await detail.boundingBox())!
    expect(panel.y - (tile.y + tile.height)).toBeGreaterThanOrEqual(0)
    expect(panel.y - (tile.y + tile.height)).toBeLessThan(160)
  }
  await screenshots(page, 'taxonomy-detail')
  await expectAccessible(page, 'the taxonomy with a subcategory open')
  // Keyboard: arrow keys move between tiles.
  await page.getByTestId('tile-conducting_literature_research').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tile-analyzing_clinical_research_data')).toBeFocused()
  // "Import it here" opens the wizard with the subcategory chosen.
  await detail.getByTestId('import-here').click()
  const wizard = page.getByTestId('import-wizard')
  await wizard.getByTestId('import-path').fill(join(FIXTURES, 'triage.csv'))
  await wizard.getByTestId('import-preview').click()
  await expect(wizard.getByTestId('set-subcategory')).toHaveValue('conducting_literature_research')
})

test('import a CSV through the wizard, browse its instances, and see the coverage map change', async ({
  page,
  open,
}) => {
  await open()
  await page.getByTestId('nav-benchmarks').click()
  await expect(page.getByTestId('benchmark-list')).toContainText('PubMedQA')
  await page.getByTestId('open-import').click()
  const wizard = page.getByTestId('import-wizard')
  await wizard.getByTestId('import-path').fill(join(FIXTURES, 'triage.csv'))
  await expect(wizard.getByTestId('import-format')).toHaveValue('csv')
  await wizard.getByTestId('import-preview').click()

  // Detected columns and the first rows; the mapping WardEval guessed.
  await expect(wizard.getByTestId('preview-rows').locator('thead th')).toHaveText([
    'case_id',
    'question',
    'option_a',
    'option_b',
    'option_c',
    'answer',
    'ward',
  ])
  // WardEval's guess, in dropdowns over the file's own columns: question, answer, id, options.
  await expect(wizard.getByTestId('map-input')).toHaveValue('question')
  await expect(wizard.getByTestId('map-reference')).toHaveValue('answer')
  await expect(wizard.getByTestId('map-id')).toHaveValue('case_id')
  await expect(wizard.getByTestId('map-choices')).toHaveValue('option_a')
  await expect(wizard.getByTestId('map-choices-2')).toHaveValue('option_b')
  await expect(wizard.getByTestId('map-choices-3')).toHaveValue('option_c')
  await expectAccessible(page, 'the import wizard, mapping step')

  // A wrong mapping shows the problems by line, in plain words, before anything is imported; the
  // preview follows every change by itself.
  await wizard.getByTestId('map-reference').selectOption('ward')
  await wizard.getByTestId('set-subcategory').selectOption('recording_procedures')
  await expect(wizard.getByTestId('import-issue')).toHaveCount(3)
  await expect(wizard.getByTestId('import-issue').first()).toContainText('triage.csv line 2')
  await expect(wizard.getByTestId('import-issue').first()).toContainText('reference answer 1')
  await expect(wizard.getByTestId('import-issue').first()).toContainText('"ED" is not an option letter A–C')
  await expect(wizard).not.toContainText('--map')

  await wizard.getByTestId('map-reference').selectOption('answer')
  await wizard.getByTestId('set-name').fill('ED triage')
  await wizard.getByTestId('set-id').fill('ed_triage')
  await wizard.getByTestId('set-instructions').fill('Choose the triage level.')
  await wizard.getByTestId('set-output-noun').fill('Answer')
  await expect(wizard.getByTestId('import-issue')).toHaveCount(0)
  await expect(wizard.getByTestId('preview-instances').locator('tbody tr')).toHaveCount(3)
  // The exact prompt the model will receive.
  await expect(wizard.getByTestId('prompt-preview').locator('pre').first()).toHaveText(
    'Choose the triage level.\n\nA 67-year-old man has crushing chest pain for 40 minutes. Which triage level?\nA. Immediate\nB. Urgent\nC. Routine\nAnswer:',
  )

  await screenshots(page, 'import-wizard-mapping')
  await wizard.getByTestId('import-start').click()
  await expect(wizard.getByTestId('import-result')).toContainText('ed_triage')
  await expect(wizard.getByTestId('import-count')).toHaveText('3')
  await expect(page.getByTestId('benchmark-detail')).toContainText('ED triage')

  // The next import starts fresh: nothing of this one carries over.
  await wizard.getByRole('button', { name: 'Import another' }).click()
  await expect(wizard.getByTestId('import-path')).toHaveValue('')
  await expect(wizard.getByTestId('import-format')).toHaveValue('csv')
  await wizard.getByTestId('import-path').fill(join(FIXTURES, 'triage.csv'))
  await wizard.getByTestId('import-preview').click()
  await expect(wizard.getByTestId('set-name')).toHaveValue('')
  await expect(wizard.getByTestId('set-id')).toHaveValue('')
  await expect(wizard.getByTestId('set-instructions')).toHaveValue('')
  await wizard.getByRole('button', { name: 'Close the import wizard' }).click()

  // The instance browser shows the imported rows (the new benchmark is open); Enter opens one.
  const detail = page.getByTestId('benchmark-detail')
  await expect(detail.getByTestId('instance-total')).toHaveText('3 instances')
  const firstRow = detail.getByTestId('instance-table').locator('tbody tr').first()
  await expect(firstRow).toContainText('t1')
  await firstRow.focus()
  await page.keyboard.press('ArrowDown')
  await expect(detail.getByTestId('instance-table').locator('tbody tr').nth(1)).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('instance-detail')).toContainText('She rates the pain 3/10')
  await detail.getByTestId('instance-search').fill('confused')
  await expect(detail.getByTestId('instance-total')).toHaveText('1 instance match')

  // The taxonomy now shows Recording Procedures covered by the new benchmark.
  await page.getByTestId('nav-taxonomy').click()
  await expect(page.getByTestId('coverage-summary')).toContainText(
    '6 of 22 subcategories covered by 6 loaded benchmarks (143 instances)',
  )
  const tile = page.getByTestId('tile-recording_procedures')
  await expect(tile).toHaveAttribute('data-covered', 'true')
  await tile.click()
  await expect(page.getByTestId('coverage-benchmark-ed_triage')).toContainText('Loaded')
  await expect(page.getByTestId('coverage-benchmark-ed_triage')).toContainText('3')
})

test('a failed import lists its errors by line and leaves nothing behind', async ({ page, open, ctx }) => {
  await open()
  await page.getByTestId('nav-benchmarks').click()
  await page.getByTestId('open-import').click()
  const wizard = page.getByTestId('import-wizard')
  await wizard.getByTestId('import-path').fill(join(FIXTURES, 'triage-pack'))
  await expect(wizard.getByTestId('import-format')).toHaveValue('pack')
  await wizard.getByTestId('import-preview').click()
  await expect(wizard.getByTestId('preview-instances').locator('tbody tr')).toHaveCount(3)
  await wizard.getByTestId('import-start').click()
  await expect(wizard.getByTestId('import-result')).toContainText('ward_triage')

  // The same pack again with one bad line appended (a copy in the test's folder).
  const { cpSync, appendFileSync } = await import('node:fs')
  const bad = join(ctx.dir, 'bad-pack')
  cpSync(join(FIXTURES, 'triage-pack'), bad, { recursive: true })
  appendFileSync(
    join(bad, 'instances.jsonl'),
    '{"id":"t4","input":"q","choices":["a","b"],"references":["Z"]}\n',
  )
  const before = ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get()
  await wizard.getByRole('button', { name: 'Import another' }).click()
  await wizard.getByTestId('import-path').fill(bad)
  await wizard.getByTestId('import-preview').click()
  await wizard.getByTestId('import-start').click()
  await expect(page.getByTestId('import-failed')).toContainText('Nothing was imported')
  // Said once: the problem by line, no banner repeating it, no half-filled bar beside it.
  await expect(wizard.getByTestId('import-issue')).toHaveCount(1)
  await expect(wizard.getByTestId('import-issue')).toContainText('instances.jsonl line 4')
  await expect(wizard.getByRole('alert')).toHaveCount(0)
  await expect(wizard.getByRole('progressbar')).toHaveCount(0)
  await expectAccessible(page, 'a failed import')
  expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get()).toEqual(before)
})

test('repeated ids are flagged in the preview, by line', async ({ page, open, ctx }) => {
  const { writeFileSync } = await import('node:fs')
  const csv = join(ctx.dir, 'notes.csv')
  writeFileSync(csv, 'note_id,note,summary\nN1,chest pain,ACS\nN2,ankle,sprain\nN1,fever,sepsis\n')
  await open()
  await page.getByTestId('nav-benchmarks').click()
  await page.getByTestId('open-import').click()
  const wizard = page.getByTestId('import-wizard')
  await wizard.getByTestId('import-path').fill(csv)
  await wizard.getByTestId('import-preview').click()
  await expect(wizard.getByTestId('map-id')).toHaveValue('note_id')
  await wizard.getByTestId('map-reference').selectOption('summary')
  await wizard.getByTestId('set-subcategory').selectOption('recording_procedures')
  await expect(wizard.getByTestId('import-issue')).toHaveCount(1)
  await expect(wizard.getByTestId('import-issue')).toContainText('notes.csv line 4')
  await expect(wizard.getByTestId('import-issue')).toContainText('repeats the id of line 2')
  await expect(wizard.getByTestId('repeated-id')).toHaveCount(2)
  await expect(wizard.getByTestId('import-start')).toBeEnabled()
})

test('deleting a benchmark first lists the runs and review sets that use it', async ({ page, open, ctx }) => {
  await open()
  await page.getByTestId('nav-benchmarks').click()
  await expect(page.getByTestId('benchmark-list')).toContainText('PubMedQA')
  const v = ctx.db.prepare("SELECT id FROM benchmark_versions WHERE benchmark_id = 'pubmed_qa'").get() as {
    id: number
  }
  const run = ctx.db
    .prepare(
      "INSERT INTO runs (name, status, settings_json, seed, created_at) VALUES ('pilot', 'completed', '{}', 1, '2026-12-01T10:00:00Z')",
    )
    .run().lastInsertRowid
  ctx.db
    .prepare("INSERT INTO run_models (run_id, model_key, model_name) VALUES (?, 'ollama/a:1b', 'a:1b')")
    .run(run)
  ctx.db.prepare('INSERT INTO run_benchmarks (run_id, benchmark_version_id) VALUES (?, ?)').run(run, v.id)
  await page.getByTestId('benchmark-list').getByRole('button', { name: 'PubMedQA' }).click()
  await page.getByTestId('delete-benchmark').click()
  const confirm = page.getByTestId('delete-confirm')
  await expect(confirm).toContainText('pubmed_qa cannot be deleted')
  await expect(page.getByTestId('benchmark-usage')).toContainText(`Run #${run} “pilot” — completed`)
  await expect(page.getByTestId('benchmark-usage')).toContainText('ollama/a:1b')
  await expect(confirm.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0)
  await expectAccessible(page, 'the delete confirmation')
  await screenshots(page, 'benchmark-delete-confirm')
  await confirm.getByRole('button', { name: 'Close' }).click()
  // One that nothing uses can go.
  await page.getByTestId('benchmark-list').getByRole('button', { name: 'MEDEC' }).click()
  await page.getByTestId('delete-benchmark').click()
  await expect(page.getByTestId('delete-confirm')).toContainText('No run or review set uses it')
  await page.getByTestId('delete-confirm').getByRole('button', { name: 'Delete', exact: true }).click()
  await expect(page.getByTestId('benchmark-list').getByRole('button', { name: 'MEDEC' })).toHaveCount(0)
})
