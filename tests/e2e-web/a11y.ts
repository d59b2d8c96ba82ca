import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

/**
 * axe-core on the page as it is now: no serious or critical violation (WCAG 2.1 A and AA rules,
 * axe's best practices, and label-content-name-mismatch). The failure lists each rule with the first elements it found.
 */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    // Experimental in axe, but a real barrier for voice-control users: a control's name must
    // contain its visible text.
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze()
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    )
  expect(bad, `axe violations in ${state}`).toEqual([])
}
