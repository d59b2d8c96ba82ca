import { join } from 'node:path'
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
  // Keyboard: arrow keys move between tiles.
  await page.getByTestId('tile-conducting_literature_research').focus()
  await page.keyboard.press('ArrowRight')
  await expect(page.getByTestId('tile-analyzing_clinical_research_data')).toBeFocused()
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
  await expect(wizard.getByTestId('map-input')).toHaveValue('question')
  await expect(wizard.getByTestId('map-reference')).toHaveValue('answer')

  // A wrong mapping shows the problems by line before anything is imported.
  await wizard.getByTestId('map-choices').fill('option_a|option_b|option_c')
  await wizard.getByTestId('map-reference').fill('ward')
  await wizard.getByTestId('set-subcategory').selectOption('recording_procedures')
  await wizard.getByTestId('import-refresh').click()
  await expect(wizard.getByTestId('import-issue')).toHaveCount(3)
  await expect(wizard.getByTestId('import-issue').first()).toContainText('triage.csv line 2')
  await expect(wizard.getByTestId('import-issue').first()).toContainText('"ED" is not an option letter A–C')

  await wizard.getByTestId('map-reference').fill('answer')
  await wizard.getByTestId('map-id').fill('case_id')
  await wizard.getByTestId('set-name').fill('ED triage')
  await wizard.getByTestId('set-id').fill('ed_triage')
  await wizard.getByTestId('import-refresh').click()
  await expect(wizard.getByTestId('import-issue')).toHaveCount(0)
  await expect(wizard.getByTestId('preview-instances').locator('tbody tr')).toHaveCount(3)

  await wizard.getByTestId('import-start').click()
  await expect(wizard.getByTestId('import-result')).toContainText('ed_triage')
  await expect(wizard.getByTestId('import-count')).toHaveText('3')
  await expect(wizard.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /\d+/)

  // The instance browser shows the imported rows; Enter opens one.
  await wizard.getByRole('button', { name: 'Browse its instances' }).click()
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
  await expect(wizard.getByTestId('import-issue')).toHaveCount(1)
  await expect(wizard.getByTestId('import-issue')).toContainText('instances.jsonl line 4')
  expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get()).toEqual(before)
})
