import type { Locator, Page } from '@playwright/test'
import { appendAudit } from '../../src/main/audit/log'
import type { FakeOllama } from '../support/fake-ollama'
import { startWorldServer } from '../unit/analysis/world'
import { startFake } from '../unit/review/helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'
import { screenshots, SIZES } from './screens'
import { openAgreementAs, pricedWorld, ratedReviewSet } from './worlds'

/**
 * The charts on the screens are the shared chart components (the report draws the same): axis
 * titles with units, a legend, labels never clipped, at 1440×900 and 1024×700, accessible (axe).
 * Cost against win rate with the model's and the jury's cost apart and the Pareto frontier; the
 * audit volume on a log scale of bytes where 1 KB off the machine shows beside 100 MB on loopback;
 * the jury against the clinicians.
 */

let server: Awaited<ReturnType<typeof startWorldServer>>
let fake: FakeOllama
test.beforeAll(async () => {
  server = await startWorldServer()
  fake = server.fake
})
test.afterAll(async () => fake.close())

/** Every text of the chart inside its drawing, and the drawing inside the page's width. */
async function expectNothingClipped(chart: Locator): Promise<void> {
  const problems = await chart.evaluate((root) => {
    const svg = root.querySelector('svg')
    if (!svg) return ['no svg']
    const box = svg.getBoundingClientRect()
    const out: string[] = []
    if (box.right > document.documentElement.clientWidth + 0.5) out.push(`svg ends at ${box.right}px`)
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect()
      if (!t.textContent || r.width === 0) continue
      if (
        r.left < box.left - 0.5 ||
        r.right > box.right + 0.5 ||
        r.top < box.top - 0.5 ||
        r.bottom > box.bottom + 0.5
      )
        out.push(`clipped: ${t.textContent}`)
    }
    // Point labels never overlap one another.
    const labels = [...svg.querySelectorAll('[data-part="point-labels"] text')].map((t) => ({
      text: t.textContent,
      r: t.getBoundingClientRect(),
    }))
    for (const [i, a] of labels.entries())
      for (const b of labels.slice(i + 1))
        if (
          a.r.left < b.r.right &&
          b.r.left < a.r.right &&
          a.r.top < b.r.bottom - 1 &&
          b.r.top < a.r.bottom - 1
        )
          out.push(`overlap: ${a.text} / ${b.text}`)
    return out
  })
  expect(problems).toEqual([])
}

/** At each window size: nothing clipped, axe clean; screenshots of both saved with the report. */
async function checkAtBothSizes(page: Page, chart: Locator, name: string): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await chart.scrollIntoViewIfNeeded()
    await expect(chart.locator('svg')).toBeVisible()
    await expectNothingClipped(chart)
    await expectAccessible(page, `${name} at ${size.width}×${size.height}`)
  }
  await screenshots(page, name)
}

const chartTexts = (chart: Locator) => chart.locator('svg text').allTextContents()

test('Leaderboard: cost per 1,000 answers with model and jury apart, the frontier, and runtime', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await pricedWorld(ctx, server)
  await open()
  await page.getByTestId('nav-leaderboard').click()
  const panel = page.getByTestId('lb-scatter')
  const chart = page.getByTestId('lb-cost-chart')
  await expect(chart.locator('svg')).toBeVisible()
  const texts = await chartTexts(chart)
  // Only alpha has a known total: beta's jury has verdicts without token counts, gamma's answers too.
  expect(texts).toContain('Cost per 1,000 answers (USD) — further left is cheaper')
  expect(texts).toContain('Mean win rate (0–1, higher is better)')
  expect(texts).toEqual(
    expect.arrayContaining([
      'Model + jury (total)',
      'Model alone',
      'Jury cost',
      'Pareto frontier (circled)',
      'ollama/alpha',
    ]),
  )
  await expect(chart).toHaveAttribute('aria-label', /ollama\/alpha \$3\.10 \(model \$3\.00, jury \$0\.1\)/)
  await expect(chart.locator('[data-series="jury-cost"] line')).toHaveCount(1)
  await expect(panel.getByTestId('lb-scatter-caption')).toContainText('the open dot is the model alone')
  await expect(panel.getByTestId('lb-unplotted')).toContainText('ollama/beta is not plotted: cost unknown')
  await expect(panel.getByTestId('lb-unplotted')).toContainText('ollama/gamma is not plotted: cost unknown')
  // The tooltip gives the model's and the jury's share.
  await chart.locator('svg path[fill="#0b6e79"]').first().hover({ force: true })
  await expect(page.locator('.chart-tooltip')).toContainText('Per 1,000 answers')
  await checkAtBothSizes(page, chart, 'chart-leaderboard-cost')

  await panel.getByRole('radio', { name: 'Runtime' }).click()
  await expect(chart).toHaveAttribute('aria-label', /Mean win rate against mean time per answer/)
  const runtime = await chartTexts(chart)
  expect(runtime).toContain('Mean time per answer (seconds) — further left is faster')
  expect(runtime).toEqual(expect.arrayContaining(['ollama/alpha', 'ollama/beta', 'ollama/gamma']))
  await expect(chart.locator('[data-series="pareto-frontier"]')).toHaveAttribute('d', /^M[\d.]+,[\d.]+/)
  await expect(panel.getByTestId('lb-scatter-caption')).toContainText(
    'Circled in orange, on the dashed line (the Pareto frontier): ollama/alpha',
  )
  await checkAtBothSizes(page, chart, 'chart-leaderboard-runtime')
})

test('Privacy & Audit: 1 KB off the machine is visible beside 100 MB on loopback, with a legend', async ({
  page,
  ctx,
  open,
}) => {
  const row = (host: string, sent: number, received: number) =>
    appendAudit(ctx.db, {
      kind: 'request',
      actor: 'test',
      host,
      port: host === '127.0.0.1' ? 11434 : 8000,
      purpose: { kind: 'model-request' } as never,
      bytesSent: sent,
      bytesReceived: received,
      outcome: 'ok',
    })
  row('127.0.0.1', 100 * 1024 * 1024, 40 * 1024 * 1024)
  row('inference-gateway.radiology.hospital-network.example.org', 1024, 2300)
  await open()
  await page.getByTestId('nav-audit').click()
  const chart = page.getByTestId('audit-volume-chart')
  await expect(chart.locator('svg')).toBeVisible()
  const texts = await chartTexts(chart)
  for (const t of [
    'Sent off the machine',
    'Received from off the machine',
    'Sent on this machine (loopback)',
    'Received on this machine',
    '1 KB',
    '1 MB',
    '100 MB',
    'Bytes per destination, log scale (each step ×10 or ×1024)',
  ])
    expect(texts).toContain(t)
  // The off-machine bar (red) is long enough to see.
  const offBar = chart.locator('svg path[fill="#b3261e"]').first()
  expect((await offBar.boundingBox())!.width).toBeGreaterThan(20)
  await expect(chart).toHaveAttribute('aria-label', /off the machine\) sent 1\.0 KB/)
  await expect(page.getByTestId('audit-volume-caption')).toContainText('1.0 KB left this machine')
  await checkAtBothSizes(page, chart, 'chart-audit-volume')
})

test('Agreement: the jury against the clinicians, with the same-score line and the trend', async ({
  page,
  ctx,
  open,
}) => {
  const reviewFake = await startFake()
  ctx.env.OLLAMA_HOST = reviewFake.url
  await ratedReviewSet(ctx, ['Dr Chart A', 'Dr Chart B']).finally(() => reviewFake.close())
  await open()
  await openAgreementAs(page, 'Dr Chart A')
  const chart = page.getByTestId('agreement-chart')
  await expect(chart.locator('svg')).toBeVisible()
  const texts = await chartTexts(chart)
  expect(texts).toEqual(
    expect.arrayContaining([
      'Jury score (mean of criteria, 1–5 points)',
      'Clinicians’ score (1–5 points)',
      'Rated outputs (14)',
      'Same score',
    ]),
  )
  await checkAtBothSizes(page, chart, 'chart-agreement')
})
