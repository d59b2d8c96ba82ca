import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'

const DIR = join(__dirname, '../../test-reports/screens')
/** The window sizes every screen must work at: a common laptop and the app's minimum. */
export const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const

/** One screenshot of the page as it is now, saved with the test report. */
export async function shot(page: Page, name: string, size: { width: number; height: number }): Promise<void> {
  mkdirSync(DIR, { recursive: true })
  await page.screenshot({ path: join(DIR, `${name}-${size.width}x${size.height}.png`) })
}

/** Screenshots of the page as it is now at both sizes, saved with the test report. */
export async function screenshots(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()
  for (const size of SIZES) {
    await page.setViewportSize(size)
    await shot(page, name, size)
  }
  if (before) await page.setViewportSize(before)
}
