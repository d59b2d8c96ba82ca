import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { writeReport } from '../../src/main/report/write'
import { tempContext, type TempContext } from '../support/context'
import type { FakeOllama } from '../support/fake-ollama'
import { startFake } from '../unit/review/helpers'
import { buildReportWorld, REPORT_MODELS } from '../unit/report/world'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'
import { screenshots } from './screens'

/**
 * A governance committee opens the report a privacy officer mailed them: one HTML file, offline,
 * in any browser. It must render with no script and not a single request beyond the file itself
 * (all network is routed and refused here), be accessible, and read well at laptop sizes.
 */

let fake: FakeOllama
let ctx: TempContext
let file: string
test.beforeAll(async () => {
  fake = await startFake()
  ctx = tempContext({ OLLAMA_HOST: fake.url })
  await buildReportWorld(ctx, ctx.dir)
  file = (await writeReport(ctx, { out: join(ctx.dir, 'committee-report.html'), seed: 3 })).file
})
test.afterAll(async () => {
  ctx.dispose()
  await fake.close()
})

test('the report opens offline with zero requests beyond the file, is accessible, and reads well', async ({
  page,
}) => {
  const requests: string[] = []
  const failed: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('file:')) return route.continue()
    requests.push(url)
    return route.abort()
  })
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) requests.push(r.url())
  })
  page.on('requestfailed', (r) => failed.push(r.url()))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })

  await page.goto(pathToFileURL(file).href)
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(/WardEval evaluation report/)
  const sections = page.locator('main h2')
  await expect(sections).toHaveText([
    'Summary for decision makers',
    'Scope and reproducibility',
    'Taxonomy coverage',
    'Leaderboard',
    'Cost and performance',
    'Jury reliability',
    'Clinician agreement',
    'Privacy and audit',
    'Limitations',
  ])
  for (const m of REPORT_MODELS) await expect(page.getByRole('rowheader', { name: m }).first()).toBeVisible()
  await expect(page.locator('script')).toHaveCount(0)
  await page.getByRole('link', { name: 'Privacy and audit' }).click()
  await expect(page.locator('#privacy')).toBeInViewport()

  expect(requests, 'requests beyond the report file').toEqual([])
  expect(failed, 'failed requests').toEqual([])
  expect(errors, 'errors in the page').toEqual([])
  await expectAccessible(page, 'report HTML')
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshots(page, 'report-html')
  await page.setViewportSize({ width: 1440, height: 900 })
  // Charts fill the page's width (drawn at 680 px, scaled up to 920 px, never past their figure).
  const charts = page.locator('figure.chart svg')
  expect(await charts.count()).toBeGreaterThan(0)
  for (const box of await charts.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width)))
    expect(box).toBeGreaterThan(900)
  await page.setViewportSize({ width: 1024, height: 700 })
  const narrow = await page
    .locator('figure.chart')
    .first()
    .evaluate((f) => ({
      figure: f.getBoundingClientRect().width,
      svg: f.querySelector('svg')!.getBoundingClientRect().width,
    }))
  expect(narrow.svg).toBeLessThanOrEqual(narrow.figure)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.screenshot({
    path: join(__dirname, '../../test-reports/screens/report-html-full-1440.png'),
    fullPage: true,
  })
  // The bytes served are the signed file's: the signature block sits after </html>.
  expect(readFileSync(file, 'utf8')).toMatch(/<\/html>\n\n<!--\nwardeval-embedded-signature\/1\n/)
})
