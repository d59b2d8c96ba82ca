/** The report's one stylesheet, inlined: screen and print, no font or image from outside. */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a5560; --line: #d5dbe1; --soft: #f3f5f7; --accent: #0b5cad; --warn-bg: #fff4e0; --warn-line: #b36b00; --info-bg: #e9f2fb; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; line-height: 1.5; font-size: 16px; }
body { margin: 0; }
.page { max-width: 1180px; margin: 0 auto; padding: 2rem 2.5rem 4rem; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .25rem; line-height: 1.2; }
.subtitle { color: var(--muted); margin: 0 0 .75rem; font-size: 1.05rem; }
.meta { display: flex; flex-wrap: wrap; gap: .25rem 1.5rem; margin: 0; font-size: .9rem; color: var(--muted); }
.meta div { display: flex; gap: .4rem; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; }
nav.toc { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1.25rem; margin-bottom: 2rem; }
nav.toc h2 { font-size: 1rem; margin: 0 0 .4rem; border: 0; padding: 0; }
nav.toc ol { margin: 0; padding-left: 1.4rem; columns: 2; column-gap: 2rem; }
nav.toc a { color: var(--accent); }
section.report-section { margin: 0 0 2.5rem; }
h2 { font-size: 1.45rem; border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin: 0 0 1rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
p { margin: 0 0 .9rem; max-width: 80ch; }
ul { margin: 0 0 1rem; padding-left: 1.3rem; max-width: 90ch; }
li { margin-bottom: .3rem; }
.callout { border-left: 4px solid var(--accent); background: var(--info-bg); padding: .7rem 1rem; border-radius: 0 6px 6px 0; max-width: none; }
.callout.warning { border-left-color: var(--warn-line); background: var(--warn-bg); }
dl.kv { display: grid; grid-template-columns: minmax(11rem, max-content) 1fr; gap: .35rem 1.25rem; margin: 0 0 1.25rem; }
dl.kv dt { font-weight: 600; color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; white-space: pre-wrap; }
.table-wrap { overflow-x: auto; margin: 0 0 1.5rem; border: 1px solid var(--line); border-radius: 6px; }
.table-wrap:focus { outline: 2px solid var(--accent); outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
caption { text-align: left; font-weight: 600; padding: .6rem .75rem; background: var(--soft); border-bottom: 1px solid var(--line); }
th, td { min-width: 4.5rem; padding: .4rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; text-align: left; }
thead th { background: #e8ecf0; font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 600; min-width: 9rem; }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.hash { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .8rem; overflow-wrap: anywhere; }
.table-note { font-size: .85rem; color: var(--muted); padding: .5rem .75rem; margin: 0; max-width: none; }
figure.chart { margin: 0 0 1.5rem; border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
figure.chart .svg { max-width: 100%; overflow-x: auto; }
figure.chart svg { width: 100%; max-width: 920px; height: auto; display: block; }
figcaption { font-size: .9rem; color: var(--muted); margin-top: .5rem; }
figcaption strong { color: var(--ink); display: block; }
footer.signature { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; font-size: .85rem; color: var(--muted); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; background: var(--soft); padding: 0 .25rem; border-radius: 3px; }
@media (max-width: 1100px) { .page { padding: 1.5rem 1.25rem 3rem; } }
@media (max-width: 760px) { nav.toc ol { columns: 1; } }
@media print {
  html { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc { display: none; }
  a { color: inherit; text-decoration: none; }
  section.report-section { break-before: page; }
  section.report-section:first-of-type { break-before: auto; }
  h2, h3, caption { break-after: avoid; }
  .table-wrap { overflow: visible; border: 0; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, figure.chart, .callout, dl.kv { break-inside: avoid; }
  @page { size: A4; margin: 16mm 14mm; }
}
`
