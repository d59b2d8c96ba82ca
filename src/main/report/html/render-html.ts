import type { ChartBlock, ReportBlock, ReportColumn, ReportDoc, ReportSection } from '../doc'
import { checkedSvg, escapeHtml as e } from './escape'
import { REPORT_CSS } from './styles'
import { when } from '../sections/format'

/**
 * The report as one self-contained HTML file: inline stylesheet (screen and print), inline SVG
 * charts, no script, no request to anywhere — it opens offline in any browser. All text is escaped.
 */

const HASH = /^[0-9a-f]{40,}$|^SHA256:/

function cell(col: ReportColumn, value: string, first: boolean): string {
  const cls = col.align === 'right' ? ' class="num"' : HASH.test(value) ? ' class="hash"' : ''
  return first ? `<th scope="row"${cls}>${e(value)}</th>` : `<td${cls}>${e(value)}</td>`
}

function table(b: Extract<ReportBlock, { kind: 'table' }>, id: string): string {
  const head = b.columns
    .map((c) => `<th scope="col"${c.align === 'right' ? ' class="num"' : ''}>${e(c.label)}</th>`)
    .join('')
  const rows = b.rows.length
    ? b.rows
        .map((r) => `<tr>${b.columns.map((c, i) => cell(c, r[c.key] ?? '', i === 0)).join('')}</tr>`)
        .join('\n')
    : `<tr><td colspan="${b.columns.length}">Nothing to show.</td></tr>`
  return [
    `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">`,
    `<table><caption id="${id}">${e(b.caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows}\n</tbody></table>`,
    b.note ? `<p class="table-note">${e(b.note)}</p>` : '',
    '</div>',
  ].join('\n')
}

function chart(b: ChartBlock): string {
  return [
    '<figure class="chart">',
    `<div class="svg" role="img" aria-label="${e(b.alt)}">${checkedSvg(b.svg, b.title)}</div>`,
    `<figcaption><strong>${e(b.title)}</strong>${e(b.caption)}</figcaption>`,
    '</figure>',
  ].join('\n')
}

function block(b: ReportBlock, id: string): string {
  switch (b.kind) {
    case 'heading':
      return `<h3>${e(b.text)}</h3>`
    case 'paragraph':
      return `<p>${e(b.text)}</p>`
    case 'callout':
      return `<p class="callout ${b.tone}" role="note">${e(b.text)}</p>`
    case 'list':
      return `<ul>\n${b.items.map((i) => `<li>${e(i)}</li>`).join('\n')}\n</ul>`
    case 'keyValues':
      return `<dl class="kv">\n${b.rows.map((r) => `<dt>${e(r.label)}</dt><dd>${e(r.value)}</dd>`).join('\n')}\n</dl>`
    case 'table':
      return table(b, id)
    case 'chart':
      return chart(b)
  }
}

function section(s: ReportSection): string {
  return [
    `<section class="report-section" id="${s.id}" aria-labelledby="${s.id}-title">`,
    `<h2 id="${s.id}-title">${e(s.title)}</h2>`,
    ...s.blocks.map((b, i) => block(b, `${s.id}-t${i}`)),
    '</section>',
  ].join('\n')
}

export function renderHtml(doc: ReportDoc): string {
  const toc = doc.sections.map((s) => `<li><a href="#${s.id}">${e(s.title)}</a></li>`).join('\n')
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="WardEval ${e(doc.appVersion)}">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<div class="page">
<header class="report">
<h1>${e(doc.title)}</h1>
<p class="subtitle">${e(doc.subtitle)}</p>
<dl class="meta">
<div><dt>Generated</dt><dd><time datetime="${e(doc.generatedAt)}">${e(when(doc.generatedAt))}</time></dd></div>
<div><dt>WardEval</dt><dd>${e(doc.appVersion)}</dd></div>
</dl>
</header>
<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">Contents</h2>
<ol>
${toc}
</ol>
</nav>
<main>
${doc.sections.map(section).join('\n')}
</main>
<footer class="signature">
<p>This file is signed by the installation key ${doc.keyFingerprint ? `<code>${e(doc.keyFingerprint)}</code> ` : ''}of the WardEval that produced it; the signature is embedded at the end of the file. Check that not a byte changed with <code>wardeval verify &lt;this file&gt;</code>.</p>
</footer>
</div>
</body>
</html>
`
}
