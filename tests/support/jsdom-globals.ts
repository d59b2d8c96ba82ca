import { JSDOM } from 'jsdom'

/**
 * A jsdom window behind the DOM globals react-dom and recharts look for, installed when this
 * module is first imported (import it before react-dom and recharts: both check for a DOM when
 * they load). Only DOM names are set — Node's own globals (Buffer, typed arrays) stay, so other
 * Node libraries (pdfkit) keep working in the same test file.
 */
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
const win = dom.window as unknown as Record<string, unknown>
const g = globalThis as unknown as Record<string, unknown>
for (const name of [
  'window',
  'document',
  'navigator',
  'Node',
  'Element',
  'HTMLElement',
  'SVGElement',
  'Text',
  'DocumentFragment',
  'Event',
  'MutationObserver',
  'getComputedStyle',
  'requestAnimationFrame',
  'cancelAnimationFrame',
]) {
  if (g[name] === undefined || name === 'window' || name === 'document' || name === 'navigator')
    Object.defineProperty(globalThis, name, { value: win[name], configurable: true, writable: true })
}
