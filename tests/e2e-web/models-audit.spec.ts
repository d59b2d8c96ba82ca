import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { overrideEgressNetworkForTests } from '../../src/main/egress'
import { fakeDigest, startFakeOllama, type FakeOllama } from '../support/fake-ollama'
import { scriptedNetwork } from '../unit/egress/helpers'
import { expectAccessible } from './a11y'
import { expect, test } from './fixtures'

/**
 * Models and Privacy & Audit, end to end: the real handlers, egress guard and SQLite behind the
 * built renderer. "llm.hospital.test" resolves to 127.0.0.2, which this test's network view does
 * not count as loopback — a stand-in for a hospital server, with all traffic on loopback.
 */
let local: FakeOllama
let hospital: FakeOllama
let restore: () => void = () => {}

test.beforeAll(async () => {
  local = await startFakeOllama()
  hospital = await startFakeOllama({
    host: '127.0.0.2',
    models: [{ name: 'meta-llama/Llama-3.1-8B-Instruct' }],
  })
})
test.afterAll(async () => {
  await local.close()
  await hospital.close()
})
test.beforeEach(() => {
  restore = overrideEgressNetworkForTests(scriptedNetwork({ 'llm.hospital.test': ['127.0.0.2'] }))
  hospital.reset()
})
test.afterEach(() => restore())

test('connect endpoints, see models and digests, approve a hospital server, and verify the audit log', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = local.url
  await open()
  await page.getByTestId('nav-models').click()

  // The default Ollama endpoint answers, and its models show their digests.
  await expect(page.getByTestId('reach-ollama')).toHaveAttribute('data-state', 'up')
  const llama = page.getByTestId('model-ollama/llama3.2:3b')
  await expect(llama).toContainText(fakeDigest('llama3.2:3b').slice(0, 12))
  await expect(llama).toContainText('3.2B')
  await expect(llama).toContainText('Q4_K_M')

  // Add an OpenAI-compatible server on this machine.
  const form = page.getByTestId('add-endpoint-form')
  await form.getByLabel('Name').fill('lab')
  await form.getByLabel('Server URL').fill(`${local.url}/v1`)
  await form.getByLabel('Kind').selectOption('openai')
  await form.getByRole('button', { name: 'Add endpoint' }).click()
  await expect(page.getByTestId('reach-lab')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('model-lab/qwen2.5:7b')).toBeVisible()

  // A server off this machine, not approved: refused, and it receives nothing.
  await form.getByLabel('Name').fill('hosp')
  await form.getByLabel('Server URL').fill(`http://llm.hospital.test:${hospital.port}`)
  await expect(form.getByText('until it is approved, every request to it is refused')).toBeVisible()
  await form.getByRole('button', { name: 'Add endpoint' }).click()
  const hospRow = page.getByTestId('endpoint-hosp')
  await expect(hospRow).toContainText('Not approved — refused')
  await expect(page.getByTestId('reach-hosp')).toContainText('Blocked by the egress policy')
  // Why, in plain sight (no tooltip glyph), and without the endpoint's name said twice.
  await expect(page.getByTestId('reach-error-hosp')).toBeVisible()
  await expect(page.getByTestId('reach-error-hosp')).not.toContainText('hosp:')
  expect(hospital.connections).toBe(0)

  // Approve it with a reason; now it answers and lists its model.
  await page.getByTestId('approve-hosp').click()
  await hospRow.getByRole('textbox').fill('Hospital vLLM, DPIA 2026-14')
  await hospRow.getByRole('button', { name: 'Approve', exact: true }).click()
  await expect(page.getByTestId('reach-hosp')).toHaveAttribute('data-state', 'up')
  await expect(page.getByTestId('model-hosp/meta-llama/Llama-3.1-8B-Instruct')).toBeVisible()
  expect(hospital.connections).toBeGreaterThan(0)
  // The approval's reason behind an info button: an SVG icon (not a font glyph) and a named button.
  const info = hospRow.getByRole('button', { name: /^Why .* was approved$/ })
  await expect(info.locator('svg[aria-hidden="true"]')).toHaveCount(1)
  await info.click()
  await expect(hospRow.getByRole('note')).toContainText('Hospital vLLM, DPIA 2026-14')
  await expectAccessible(page, 'models: approved hospital server')

  // Privacy & Audit: where data went, the refusals, the approval, and a verified log.
  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('dest-127.0.0.1')).toBeVisible()
  await expect(page.getByTestId('dest-llm.hospital.test')).toContainText('Off machine')
  expect(Number(await page.getByTestId('kpi-refusals').textContent())).toBeGreaterThan(0)
  const approvals = page.getByTestId('approvals-table')
  await expect(approvals).toContainText(`llm.hospital.test:${hospital.port}`)
  await expect(approvals).toContainText('Hospital vLLM, DPIA 2026-14')

  // One row per request: the refusals among them, filterable by a chip; then every raw row.
  await expect(page.getByTestId('requests-log')).toBeVisible()
  await expectAccessible(page, 'audit: one row per request')
  await page.getByTestId('chip-status-refused').click()
  const reqRows = page.getByTestId('requests-log').locator('tbody tr[data-testid^="request-row-"]')
  await expect(reqRows.first()).toContainText('refused by the egress policy')
  for (const text of await reqRows.allTextContents()) expect(text).toContain('refused')
  await page.getByTestId('view-rows').click()
  await page.getByTestId('filter-kind').selectOption('refusal')
  await expect(page.getByTestId('audit-log').locator('tbody tr').first()).toContainText('refused')
  const rows = page.getByTestId('audit-log').locator('tbody tr[data-testid^="audit-row-"]')
  for (const text of await rows.allTextContents()) expect(text).toContain('refusal')
  await page.getByTestId('filter-kind').selectOption('')

  await page.getByTestId('verify-button').click()
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true')
  await expect(page.getByTestId('verify-result')).toContainText('The audit log is intact')

  // Someone edits a row directly in SQLite (after dropping the append-only trigger): verify names it.
  ctx.db.exec('DROP TRIGGER audit_log_no_update')
  ctx.db.prepare("UPDATE audit_log SET host = 'innocent.local' WHERE seq = 2").run()
  await page.getByTestId('verify-button').click()
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'false')
  await expect(page.getByTestId('verify-result')).toContainText('first bad row: 2')

  // Revoking from the Models screen: a confirmation says what follows; then requests are refused.
  await page.getByTestId('nav-models').click()
  await page.getByTestId('revoke-hosp').click()
  const dialog = page.getByTestId('revoke-dialog')
  await expect(dialog).toContainText('every request to')
  await expect(dialog).toContainText('Hospital vLLM, DPIA 2026-14')
  await expectAccessible(page, 'models: revoke confirmation')
  await dialog.getByRole('button', { name: 'Revoke approval' }).click()
  await expect(hospRow).toContainText('Not approved — refused')
  await expect(page.getByTestId('reach-hosp')).toContainText('Blocked by the egress policy')
  await expect(page.getByTestId('revoke-hosp')).toHaveCount(0)
  await page.getByTestId('nav-audit').click()
  await expect(page.getByTestId('approvals-table')).toContainText('Revoked by')

  // CSV export: main writes the file and says where.
  await page.getByTestId('export-button').click()
  await expect(page.getByTestId('export-result')).toContainText('.csv')
  const file = (await page.getByTestId('export-result').locator('.we-mono').textContent())!
  expect(existsSync(file)).toBe(true)
})

test('an empty state says how to connect Ollama when nothing answers', async ({ page, ctx, open }) => {
  const gone = await startFakeOllama()
  const url = gone.url
  await gone.close()
  ctx.env.OLLAMA_HOST = url
  await open()
  await page.getByTestId('nav-models').click()
  await expect(page.getByTestId('models-empty')).toContainText('ollama serve')
  await expect(page.getByTestId('models-empty')).toContainText(url)
  await expect(page.getByTestId('reach-ollama')).toHaveAttribute('data-state', 'down')
  await expect(page.getByTestId('reach-error-ollama')).toContainText('connection failed')
  await expect(page.getByTestId('reach-error-ollama')).not.toContainText('ollama:')
  await page.getByTestId('nav-audit').click()
  await page.getByTestId('verify-button').click()
  await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true')
})

test('a request cut off by the app stopping shows as unfinished; verify reports it and the log stays intact', async ({
  page,
  ctx,
  open,
}) => {
  const hanging = await startFakeOllama()
  try {
    hanging.inject({ match: '/api/chat', fault: { type: 'hang' } })
    // Another WardEval process sends a chat request and is killed while waiting for the reply.
    const tsx = join(__dirname, '../../node_modules/.bin/tsx')
    const worker = join(__dirname, '../unit/egress/inflight-worker.ts')
    const child = spawn(tsx, [worker, ctx.dbPath, `${hanging.url}/api/chat`], { stdio: 'ignore' })
    const killed = new Promise((r) => child.on('exit', r))
    await expect
      .poll(() => hanging.requests.some((r) => r.path === '/api/chat'), { timeout: 30_000 })
      .toBe(true)
    child.kill('SIGKILL')
    await killed

    ctx.env.OLLAMA_HOST = hanging.url
    await open()
    await page.getByTestId('nav-audit').click()
    await expect(page.getByTestId('requests-log').getByTestId('unfinished-1')).toHaveText(
      'no outcome recorded (app closed or crashed?)',
    )
    await page.getByTestId('request-row-1').getByRole('button').click()
    await expect(page.getByTestId('request-detail')).toContainText('no outcome was ever recorded')
    await expectAccessible(page, 'audit: unfinished request')
    await page.getByTestId('view-rows').click()
    const badge = page.getByTestId('audit-log').getByTestId('unfinished-1')
    await expect(badge).toHaveText('unfinished — the app stopped before the reply')
    await page.getByTestId('audit-row-1').click()
    await expect(page.getByTestId('audit-row-intent')).toContainText('no outcome was ever recorded')

    await page.getByTestId('verify-button').click()
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true')
    await expect(page.getByTestId('verify-unfinished')).toContainText(
      '1 unfinished — the app stopped before the reply',
    )
    await expect(page.getByTestId('verify-unfinished')).toContainText('Intent row 1')
  } finally {
    await hanging.close()
  }
})
