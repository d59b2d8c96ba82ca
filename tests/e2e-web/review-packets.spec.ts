import AxeBuilder from '@axe-core/playwright'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { currentOsUser } from '../../src/main/review/identity'
import { rateItem } from '../../src/main/review/rating'
import { findReviewer } from '../../src/main/review/reviewers'
import type { FakeOllama } from '../support/fake-ollama'
import { RUN_MODEL_KEYS, scoredRun, startFake } from '../unit/review/helpers'
import { expect, test } from './fixtures'

/**
 * Review packets in the app: the coordinator switches reviewer (confirmed), exports a packet with
 * patient text (confirmed), the packet is opened and rated blind with the keyboard (autosave on
 * skip), its ratings file is written and imported back; the agreement panel warns that one OS user
 * rated as two reviewers. axe finds no serious or critical violation on any of these screens.
 */

let fake: FakeOllama
test.beforeAll(async () => {
  fake = await startFake()
})
test.afterAll(async () => fake.close())

async function expectAccessible(page: Page, what: string): Promise<void> {
  const r = await new AxeBuilder({ page }).analyze()
  const bad = r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
  expect(bad, `axe on ${what}`).toEqual([])
}

test('packet: export with confirmation, open, rate with autosave, export and import ratings', async ({
  page,
  ctx,
  open,
}) => {
  ctx.env.OLLAMA_HOST = fake.url
  await scoredRun(ctx, ctx.dir, 6)
  await open()
  await page.getByTestId('nav-review').click()

  // The first reviewer on this computer; a set that shows the gold answer.
  await page.getByLabel('Your name').fill('Dr Coordinator')
  await page.getByRole('button', { name: 'Start reviewing' }).click()
  await expect(page.getByTestId('current-reviewer')).toContainText('Dr Coordinator')
  await page.getByLabel('Outputs to rate').fill('4')
  await page.getByLabel('Show the gold answer').check()
  await page.getByRole('button', { name: 'Create set' }).click()
  await expect(page.getByTestId('review-sets')).toContainText('0 / 4')

  // Another reviewer than the last one on this computer: asked, cancelled, then confirmed.
  await page.getByTestId('current-reviewer').getByRole('button', { name: 'Change' }).click()
  await expect(page.getByTestId('os-user')).toContainText(currentOsUser())
  await page.getByLabel('Or a new reviewer').fill('Dr Away')
  await page.getByRole('button', { name: 'Start reviewing' }).click()
  const confirm = page.getByTestId('confirm-reviewer')
  await expect(confirm).toContainText('The last reviewer on this computer was Dr Coordinator')
  await expectAccessible(page, 'the reviewer confirmation')
  await confirm.getByRole('button', { name: 'Cancel' }).click()
  await expect(confirm).toBeHidden()
  await expect(page.getByTestId('reviewer-picker')).toBeVisible()
  await page.getByRole('button', { name: 'Start reviewing' }).click()
  await confirm.getByRole('button', { name: 'Continue as Dr Away' }).click()
  await expect(page.getByTestId('current-reviewer')).toContainText('Dr Away')

  // Export Dr Away's packet: it says it holds patient text and needs the box ticked.
  // Written on the renderer's request: inside the app's exports folder (no save dialog here).
  const packetPath = join(ctx.dir, 'exports', 'away.packet.json')
  await page.getByTestId('review-sets').getByRole('button', { name: 'Export packet…' }).click()
  const dialog = page.getByTestId('export-packet-dialog')
  await expect(dialog.getByTestId('packet-statement')).toContainText('CONTAINS PATIENT TEXT')
  await expect(dialog.getByLabel('For reviewer')).toHaveValue(String(findReviewer(ctx.db, 'Dr Away')?.id))
  await dialog.getByLabel('Packet file').fill(packetPath)
  const exportButton = dialog.getByRole('button', { name: 'Export with patient text' })
  await expect(exportButton).toBeDisabled()
  await expectAccessible(page, 'the export dialog')
  await dialog.getByRole('checkbox').check()
  await exportButton.click()
  await expect(page.getByRole('status').filter({ hasText: 'Wrote review packet' })).toContainText(
    '4 outputs for Dr Away',
  )

  // Open it (as the clinician's workstation would) and rate it blind.
  const packets = page.getByTestId('review-packets')
  await packets.getByLabel('Packet file').fill(packetPath)
  await packets.getByRole('button', { name: 'Open packet' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Packet opened' })).toContainText('4 outputs')
  await expectAccessible(page, 'the packets panel')
  await packets.getByTestId('opened-packets').getByRole('button', { name: 'Start rating' }).click()
  const rating = page.getByTestId('rating-view')
  await expect(rating.getByRole('heading', { name: /Output 1 of 4/ })).toBeVisible()
  await expect(rating.getByTestId('rating-gold')).toContainText('reference: rest and drink fluids')
  for (const hidden of [...RUN_MODEL_KEYS, 'model-a', 'model-b', 'judge-'])
    await expect(page.locator('body')).not.toContainText(hidden)
  await expectAccessible(page, 'rating a packet')
  for (const key of ['4', '5', '3', 'Enter']) await page.keyboard.press(key)
  await expect(rating.getByRole('heading', { name: /Output 2 of 4/ })).toBeVisible()
  // Scored, then skipped: saved anyway.
  for (const key of ['2', '2', '2', 's']) await page.keyboard.press(key)
  await expect(rating.getByRole('heading', { name: /Output 3 of 4/ })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'Saved automatically' })).toBeVisible()
  await expect(rating.getByRole('progressbar', { name: 'Rated' })).toHaveAttribute('aria-valuenow', '2')
  for (const key of ['5', '4', '4', 'Enter', '1', '2', '3', 'Enter']) await page.keyboard.press(key)
  const end = page.getByTestId('review-end')
  await expect(end).toContainText('Every output of this set is rated')
  await end.getByRole('button', { name: 'Back to the packets, to export the ratings file' }).click()

  // Write the ratings file, then import it as the coordinator.
  const ratingsPath = join(ctx.dir, 'exports', 'away.ratings.json')
  await expect(packets.getByTestId('opened-packets')).toContainText('4 / 4')
  await packets.getByRole('button', { name: 'Export ratings…' }).click()
  await packets.getByLabel(/Ratings file for packet 1/).fill(ratingsPath)
  await packets.getByRole('button', { name: 'Write ratings file' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'ratings of 4 of 4 outputs' })).toBeVisible()
  await packets.getByLabel('Ratings file (coordinator)').fill(ratingsPath)
  await packets.getByRole('button', { name: 'Import ratings' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Imported 12 ratings' })).toContainText(
    `by Dr Away into review set 1; entered by OS user ${currentOsUser()}`,
  )
  await expect(page.getByTestId('review-sets')).toContainText('4 / 4')
  const stored = ctx.db
    .prepare("SELECT COUNT(*) FROM ratings WHERE source = 'packet' AND os_user = ?")
    .pluck()
    .get(currentOsUser())
  expect(stored).toBe(12)

  // The same OS user now rates as Dr Coordinator too: the agreement panel warns.
  const coordinator = findReviewer(ctx.db, 'Dr Coordinator')!.id
  rateItem(ctx.db, {
    setId: 1,
    reviewerId: coordinator,
    position: 0,
    scores: { accuracy: 3, completeness: 3, clarity: 3 },
    comment: '',
  })
  await page.getByTestId('review-sets').getByRole('button', { name: 'Agreement' }).click()
  await expect(page.getByTestId('identity-warning')).toContainText(
    `OS user "${currentOsUser()}" entered ratings for 2 reviewers`,
  )
  await expectAccessible(page, 'the agreement panel with a warning')
})
