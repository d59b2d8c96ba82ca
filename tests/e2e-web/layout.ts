import { expect, type Page } from '@playwright/test'
import { expectAccessible } from './a11y'
import { SIZES, shot } from './screens'

/** What is wrong with the page's layout as it is now (run in the page). */
interface LayoutProblems {
  pageOverflow: string | null
  clipped: string[]
  unreachableScroll: string[]
  glyphs: number
}

/**
 * In the page: horizontal overflow of the page or the screen, text clipped inside fixed-size
 * containers (overflow hidden/clip with more content than room, unless ellipsised with a title),
 * scrollable regions a keyboard cannot reach, and the ⓘ character (fonts without it draw a box).
 */
function inspectLayout(): LayoutProblems {
  const describe = (el: Element) => {
    const id = el.getAttribute('data-testid')
    const cls =
      typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''
    const text = (el.textContent ?? '').trim().slice(0, 40)
    return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls} "${text}"`
  }
  const visible = (el: HTMLElement) => {
    const r = el.getBoundingClientRect()
    return r.width > 2 && r.height > 2 && getComputedStyle(el).visibility !== 'hidden'
  }
  const focusable =
    'a[href],button:not([disabled]),input:not([disabled]),select:not([disabled]),textarea:not([disabled]),[tabindex]:not([tabindex="-1"]),summary'
  const doc = document.documentElement
  const main = document.querySelector('main')
  const pageOverflow =
    doc.scrollWidth > doc.clientWidth + 1
      ? `the page is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px window`
      : main && main.scrollWidth > main.clientWidth + 1
        ? `the screen is ${main.scrollWidth}px wide in ${main.clientWidth}px`
        : null
  const clipped: string[] = []
  const unreachableScroll: string[] = []
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
    if (!visible(el) || el.closest('svg')) continue
    const cs = getComputedStyle(el)
    const ox = cs.overflowX
    const oy = cs.overflowY
    const overX = el.scrollWidth > el.clientWidth + 1
    const overY = el.scrollHeight > el.clientHeight + 1
    const scrolls =
      (ox === 'auto' || ox === 'scroll') && overX ? true : (oy === 'auto' || oy === 'scroll') && overY
    if (scrolls) {
      const reachable = el.matches(focusable) || el.querySelector(focusable) !== null
      if (!reachable) unreachableScroll.push(describe(el))
      continue
    }
    const hides = (o: string) => o === 'hidden' || o === 'clip'
    if ((hides(ox) && overX) || (hides(oy) && overY && el.clientHeight > 0)) {
      const ellipsised = cs.textOverflow === 'ellipsis' && !!el.closest('[title]')
      const srOnly = el.clientWidth <= 2 || (cs.position === 'absolute' && cs.clip !== 'auto')
      if (!ellipsised && !srOnly) clipped.push(describe(el))
    }
  }
  return {
    pageOverflow,
    clipped,
    unreachableScroll,
    glyphs: (document.body.innerText.match(/ⓘ/g) ?? []).length,
  }
}

/**
 * The screen as it is now, at each window size: no horizontal overflow, no clipped text, every
 * scrollable region reachable by keyboard, no ⓘ glyph; a screenshot of each (test-reports/screens);
 * and axe-core clean (at the smallest size, where problems show first).
 */
export async function checkScreen(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()
  for (const size of SIZES) {
    await page.setViewportSize(size)
    // let ResizeObservers (charts, virtual lists) settle
    await page.waitForTimeout(150)
    const p = await page.evaluate(inspectLayout)
    const at = `${name} at ${size.width}×${size.height}`
    expect.soft(p.pageOverflow, `horizontal overflow: ${at}`).toBeNull()
    expect.soft(p.clipped, `clipped text: ${at}`).toEqual([])
    expect.soft(p.unreachableScroll, `scrollable regions without keyboard access: ${at}`).toEqual([])
    expect.soft(p.glyphs, `ⓘ glyphs: ${at}`).toBe(0)
    await shot(page, name, size)
  }
  await expectAccessible(page, name)
  if (before) await page.setViewportSize(before)
}
