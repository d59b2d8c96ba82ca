/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  )
}

/**
 * A chart's SVG must be self-contained: no script, no event handler, no reference outside the
 * document (href/src/url() other than a #fragment), no foreign content. Throws naming the chart.
 */
export function checkedSvg(svg: string, title: string): string {
  const s = svg.trim()
  const bad =
    !/^<svg[\s>]/i.test(s) ||
    /<script|<foreignObject|<iframe|<image[\s>]|\son[a-z]+\s*=|javascript:/i.test(s) ||
    /(?:href|src)\s*=\s*(?!["']?#)/i.test(s) ||
    /url\(\s*(?!["']?#)/i.test(s) ||
    /@import/i.test(s)
  if (bad)
    throw new Error(
      `The chart "${title}" is not a self-contained SVG (script, event handler or external reference)`,
    )
  return s
}
