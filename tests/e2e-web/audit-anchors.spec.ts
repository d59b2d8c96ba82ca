import AxeBuilder from '@axe-core/playwright'
import { createServer, type AddressInfo, type Socket } from 'node:net'
import { appendAudit } from '../../src/main/audit/log'
import { parseOctetCounted } from '../../src/main/audit/syslog'
import { forgeAuditLog } from '../support/forge'
import { expect, test } from './fixtures'

/**
 * Privacy & Audit, the proof against someone with the database file: anchor the log, verify it,
 * forward anchors to a log collector on loopback, then rewrite the log with every hash recomputed
 * (the forging attack) and watch verify name the row. Accessible (axe) and usable at 1024×700.
 */
test('anchor, verify with anchors, forward to a collector, and catch a forged log', async ({
  page,
  ctx,
  open,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  for (let i = 0; i < 4; i++)
    appendAudit(ctx.db, { kind: 'policy', actor: 'dpo', outcome: 'test', detail: `setting ${i}` })
  const messages: string[] = []
  const server = createServer((socket: Socket) => {
    let buf = Buffer.alloc(0)
    socket.on('data', (d: Buffer) => {
      const r = parseOctetCounted(Buffer.concat([buf, d]))
      messages.push(...r.messages)
      buf = Buffer.from(r.rest)
    })
    socket.on('end', () => socket.end())
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const port = (server.address() as AddressInfo).port
  try {
    await open()
    await page.getByTestId('nav-audit').click()
    const proof = page.getByTestId('proof')
    await expect(proof.getByTestId('key-fingerprint')).toContainText('Not created yet')
    await expect(proof.getByTestId('last-anchor')).toContainText('No anchor yet')

    await proof.getByTestId('anchor-button').click()
    await expect(proof.getByTestId('key-fingerprint')).toContainText(/SHA256:[A-Za-z0-9+/]{43}/)
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(
      (await proof.getByTestId('key-fingerprint').textContent())!,
    )![0]
    await expect(proof.getByTestId('last-anchor')).toContainText('by hand')
    // Opening the app checked the model server too (audited): the anchor covers every row so far.
    const n = Number(/Rows 1–(\d+)/.exec((await proof.getByTestId('last-anchor').textContent())!)![1])
    expect(n).toBeGreaterThanOrEqual(5)

    await page.getByTestId('verify-button').click()
    await expect(page.getByTestId('verify-result')).toHaveAttribute('data-ok', 'true')
    await expect(page.getByTestId('verify-statement')).toContainText(`Rows 1–${n} match the anchor of`)
    await expect(page.getByTestId('verify-statement')).toContainText(`signed by ${fingerprint}`)

    // Forward anchors to the hospital's collector (on loopback here) and send what is queued.
    const fwd = proof.getByTestId('forwarding')
    await fwd.getByLabel('Collector host').fill('127.0.0.1')
    await fwd.getByLabel('Port').fill(String(port))
    await fwd.getByLabel('TLS').uncheck()
    await fwd.getByRole('button', { name: 'Forward', exact: true }).click()
    await expect(fwd.getByTestId('forward-status')).toContainText(`To 127.0.0.1:${port} over TCP`)
    await fwd.getByTestId('forward-send').click()
    await expect(fwd.getByTestId('forward-status')).toContainText(`Last anchor delivered: rows 1–${n}`)
    expect(messages).toHaveLength(1)
    expect(messages[0]).toContain(`fp="${fingerprint}"`)

    const axe = await new AxeBuilder({ page }).analyze()
    const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    await page.screenshot({ path: 'test-results/audit-proof.png', fullPage: true })

    // The forging attack: triggers dropped, row 2 edited, every later hash and the head recomputed.
    forgeAuditLog(ctx.dbPath, { seq: 2, detail: 'nothing happened' })
    await page.getByTestId('verify-button').click()
    const result = page.getByTestId('verify-result')
    await expect(result).toHaveAttribute('data-ok', 'false')
    await expect(result).toContainText(
      'The audit log was rewritten — first row that differs from an anchor: 2.',
    )
    await expect(result).toContainText('FAILED: Row 2 differs from the anchor of')
    const axeBad = await new AxeBuilder({ page }).analyze()
    expect(axeBad.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([])
    await page.screenshot({ path: 'test-results/audit-forged.png' })
  } finally {
    await new Promise<void>((r) => server.close(() => r()))
  }
})
