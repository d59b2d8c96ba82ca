/**
 * A chart's <svg> made fit for a document (the report has no app CSS and must load nothing):
 * inline styles become presentation attributes (svg-to-pdfkit reads attributes), ids are renamed
 * in order with the chart's prefix (recharts' generated ids change from one render to the next),
 * anything that could run or fetch is removed, and numbers are rounded to 0.01 px. Same chart in,
 * same string out.
 */

const KEPT_STYLES = new Set([
  'fill',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'fill-opacity',
  'stroke-opacity',
  'font-size',
  'font-family',
  'font-weight',
  'text-anchor',
])
const DROPPED = ['script', 'foreignObject', 'iframe', 'image', 'use', 'a', 'style']

function inlineStyle(el: Element): void {
  const style = el.getAttribute('style')
  if (style === null) return
  for (const decl of style.split(';')) {
    const i = decl.indexOf(':')
    if (i < 0) continue
    const prop = decl.slice(0, i).trim().toLowerCase()
    const value = decl.slice(i + 1).trim()
    if (KEPT_STYLES.has(prop) && !el.hasAttribute(prop) && !/url\(|expression|var\(/i.test(value))
      el.setAttribute(prop, value)
  }
  el.removeAttribute('style')
}

function stripUnsafe(el: Element): void {
  for (const attr of [...el.attributes]) {
    const name = attr.name.toLowerCase()
    const value = attr.value
    const external = /url\(\s*['"]?(?!#)/i.test(value)
    const link = (name === 'href' || name.endsWith(':href') || name === 'src') && !value.startsWith('#')
    const generated = name.startsWith('data-recharts')
    if (name.startsWith('on') || external || link || generated || name === 'class' || name === 'tabindex')
      el.removeAttribute(attr.name)
  }
}

/** Renames every id to `<prefix>-<n>` in document order and updates url(#…) / href="#…". */
function renameIds(svg: Element, prefix: string): void {
  const map = new Map<string, string>()
  for (const el of svg.querySelectorAll('[id]')) {
    map.set(el.id, `${prefix}-${map.size + 1}`)
    el.id = map.get(el.id)!
  }
  for (const el of svg.querySelectorAll('*'))
    for (const attr of [...el.attributes]) {
      const v = attr.value
        .replace(/url\(\s*#([^)\s]+)\s*\)/g, (_m, id: string) =>
          map.has(id) ? `url(#${map.get(id)})` : 'none',
        )
        .replace(/^#(.+)$/, (m, id: string) => (map.has(id) ? `#${map.get(id)}` : m))
      if (v !== attr.value) el.setAttribute(attr.name, v)
    }
}

/** Numbers in attribute values to at most two decimals (379.99999999999994 → 380). */
function roundNumbers(el: Element): void {
  for (const attr of [...el.attributes]) {
    if (attr.name.startsWith('data-')) continue
    const v = attr.value.replace(/-?\d+\.\d{3,}/g, (n) => String(Math.round(Number(n) * 100) / 100))
    if (v !== attr.value) el.setAttribute(attr.name, v)
  }
}

export interface SvgMeta {
  width: number
  height: number
  idPrefix: string
  title: string
  alt: string
  fontFamily: string
}

/** The sanitized <svg> as XML markup. `svg` is changed in place (it is the worker's scratch copy). */
export function documentSvg(svg: SVGSVGElement, meta: SvgMeta): string {
  const doc = svg.ownerDocument
  for (const name of DROPPED) for (const el of [...svg.querySelectorAll(name)]) el.remove()
  for (const el of [...svg.querySelectorAll('title, desc')]) if (!el.textContent?.trim()) el.remove()
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    inlineStyle(el)
    stripUnsafe(el)
    roundNumbers(el)
  }
  renameIds(svg, meta.idPrefix)
  // The serializer writes the SVG namespace itself; recharts also sets a plain `xmlns` attribute,
  // which would come out a second time (a duplicate attribute: not well-formed XML, the PDF fails).
  svg.removeAttribute('xmlns')
  svg.setAttribute('width', String(meta.width))
  svg.setAttribute('height', String(meta.height))
  svg.setAttribute('viewBox', `0 0 ${meta.width} ${meta.height}`)
  svg.setAttribute('role', 'img')
  svg.setAttribute('aria-labelledby', `${meta.idPrefix}-title ${meta.idPrefix}-desc`)
  svg.setAttribute('font-family', meta.fontFamily)
  const title = doc.createElementNS('http://www.w3.org/2000/svg', 'title')
  title.id = `${meta.idPrefix}-title`
  title.textContent = meta.title
  const desc = doc.createElementNS('http://www.w3.org/2000/svg', 'desc')
  desc.id = `${meta.idPrefix}-desc`
  desc.textContent = meta.alt
  svg.prepend(title, desc)
  return new (doc.defaultView as unknown as { XMLSerializer: typeof XMLSerializer }).XMLSerializer()
    .serializeToString(svg)
    .replace(/ xmlns:xlink="[^"]*"/g, '')
    .replace(/^<svg(?![^>]*\sxmlns=)/, '<svg xmlns="http://www.w3.org/2000/svg"')
}
