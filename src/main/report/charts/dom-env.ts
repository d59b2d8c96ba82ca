import { JSDOM } from 'jsdom'

/**
 * A browser-like global environment for React and recharts, installed when this module loads —
 * in the chart worker only, before React and recharts load (they look for `window` then). Never
 * in the main process: the ollama client and others look for `window` too. Layout is not computed
 * in jsdom, which is why every chart has a fixed size and measures its own labels.
 */
const GLOBALS = [
  'window',
  'document',
  'navigator',
  'HTMLElement',
  'SVGElement',
  'Element',
  'Node',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
] as const

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
const g = globalThis as Record<string, unknown>
for (const key of GLOBALS)
  Object.defineProperty(g, key, {
    value: (dom.window as unknown as Record<string, unknown>)[key],
    configurable: true,
    writable: true,
  })
// React's act() warns unless it knows it runs in a test-like environment.
g.IS_REACT_ACT_ENVIRONMENT = true
