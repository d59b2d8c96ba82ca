import AxeBuilder from '@axe-core/playwright'
import { overrideEgressNetworkForTests } from '../../src/main/egress'
import { approveHost } from '../../src/main/egress'
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import { scriptedNetwork } from '../unit/egress/helpers'
import { expect, test } from './fixtures'

/**
 * Egress pinning on the Models screen: "llm.hospital.test" is approved while it resolves to
 * 127.0.0.2, then moves to 127.0.0.3 (both count as remote in this test's network view). The
 * screen says what changed and re-approves in one step; the new address then answers.
 */
let local: FakeOllama
let before: FakeOllama
let after: FakeOllama
let answer: string[] = ['127.0.0.2']
let restore: () => void = () => {}

test.beforeAll(async () => {
  local = await startFakeOllama()
  before = await startFakeOllama({ host: '127.0.0.2', models: [{ name: 'old-model' }] })
  after = await startFakeOllama({ host: '127.0.0.3', port: before.port, models: [{ name: 'new-model' }] })
})
test.afterAll(async () => {
  await local.close()
  await before.close()
  await after.close()
})
test.beforeEach(() => {
  answer = ['127.0.0.2']
  restore = overrideEgressNetworkForTests(scriptedNetwork({ 'llm.hospital.test': () => answer }))
})
test.afterEach(() => restore())

test('a moved host name is blocked, explained, and re-approved in one step', async ({ page, ctx, open }) => {
  ctx.env.OLLAMA_HOST = local.url
  await approveHost(ctx, { host: 'llm.hospital.test', port: null, reason: 'Hospital vLLM, DPIA 2026-14' })
  ctx.db
    .prepare("INSERT INTO endpoints (name, kind, base_url, created_at) VALUES ('hosp', 'ollama', ?, ?)")
    .run(`http://llm.hospital.test:${before.port}`, new Date().toISOString())
  answer = ['127.0.0.3']
  await page.setViewportSize({ width: 1024, height: 700 })
  await open()
  await page.getByTestId('nav-models').click()

  const moved = page.getByTestId('moved-hosp')
  await expect(moved).toContainText('was approved at 127.0.0.2')
  await expect(moved).toContainText('now resolves to 127.0.0.3')
  await expect(page.getByTestId('reach-hosp')).toContainText('the name now points elsewhere')
  expect(after.connections).toBe(0)
  const axe = await new AxeBuilder({ page }).analyze()
  const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
  await page.screenshot({ path: 'test-results/egress-reapprove-moved.png' })

  await page.getByTestId('reapprove-hosp').click()
  await expect(page.getByRole('status')).toContainText('Re-approved llm.hospital.test at 127.0.0.3')
  await expect(page.getByTestId('reach-hosp')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('moved-hosp')).toHaveCount(0)
  await expect(page.getByTestId('model-hosp/new-model')).toBeVisible()
  expect(after.connections).toBeGreaterThan(0)

  // The audit log has the refusal with both addresses and the re-approval.
  const rows = ctx.db.prepare('SELECT kind, outcome, detail FROM audit_log ORDER BY seq').all() as {
    kind: string
    outcome: string
    detail: string
  }[]
  expect(
    rows.some((r) => r.kind === 'refusal' && /now resolves to 127\.0\.0\.3.*\(127\.0\.0\.2\)/.test(r.detail)),
  ).toBe(true)
  expect(
    rows.some((r) => r.outcome === 'reapproved' && r.detail.includes('was 127.0.0.2, now 127.0.0.3')),
  ).toBe(true)
})
