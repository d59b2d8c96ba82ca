import { describe, expect, it } from 'vitest'
import type { ReportDoc } from '../../../src/main/report/doc'
import { checkedSvg } from '../../../src/main/report/html/escape'
import { renderHtml } from '../../../src/main/report/html/render-html'
import { externalReferences } from './self-contained'

/** The HTML renderer: one self-contained file — no script, no external URL, every text escaped. */

const svg =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" width="100" height="50"><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient></defs><rect width="100" height="50" fill="url(#g)"/><use href="#g"/></svg>'

const doc: ReportDoc = {
  title: 'Report <for> "committee" & co',
  subtitle: '2 models on 1 benchmark',
  generatedAt: '2026-12-05T01:00:00.000Z',
  appVersion: '1.2.3',
  sections: [
    {
      id: 'summary',
      title: 'Summary',
      blocks: [
        { kind: 'paragraph', text: '<script>alert(1)</script> <img src=x onerror=alert(1)>' },
        { kind: 'callout', tone: 'warning', text: 'Careful & "quoted"' },
        { kind: 'list', items: ['a < b', "it's"] },
        { kind: 'heading', text: 'Details' },
        { kind: 'keyValues', rows: [{ label: 'Chain head', value: 'row 3, hash abc' }] },
      ],
    },
    {
      id: 'leaderboard',
      title: 'Leaderboard',
      blocks: [
        {
          kind: 'table',
          caption: 'Ranking',
          columns: [
            { key: 'model', label: 'Model' },
            { key: 'score', label: 'Score', align: 'right' },
          ],
          rows: [{ model: 'ollama/a<b>', score: '0.50 [0.40, 0.60]' }],
          note: 'n = 14',
        },
      ],
    },
    {
      id: 'cost',
      title: 'Cost',
      blocks: [
        {
          kind: 'chart',
          title: 'Cost vs score',
          caption: 'Lower right is better.',
          alt: 'Two points',
          svg,
          width: 100,
          height: 50,
        },
      ],
    },
  ],
}

describe('report HTML', () => {
  const html = renderHtml(doc)
  it('is self-contained: no script, no external URL in any src, href or url()', () => {
    // The xmlns of inline SVG is a namespace name, never fetched.
    expect(externalReferences(html)).toEqual([])
    // The check itself finds what it must.
    expect(
      externalReferences(
        '<img src="https://x/y.png"><a href="http://z">z</a><p style="background:url(//x)"></p><script></script>',
      ),
    ).toEqual(['src="https://x/y.png', 'href="http://z', 'url(//x', '<script'])
    expect(html).toContain('<style>')
    expect(html).toContain("default-src 'none'")
  })

  it('escapes every text', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;')
    expect(html).toContain('<title>Report &lt;for&gt; &quot;committee&quot; &amp; co</title>')
    expect(html).toContain('<th scope="row">ollama/a&lt;b&gt;</th>')
    expect(html).toContain('<li>it&#39;s</li>')
  })

  it('has a language, one h1, section headings, captioned tables with header scopes, labelled figures', () => {
    expect(html).toMatch(/<html lang="en">/)
    expect(html.match(/<h1>/g)).toHaveLength(1)
    expect(html).toContain('<h2 id="leaderboard-title">Leaderboard</h2>')
    expect(html).toContain('<h3>Details</h3>')
    expect(html).toContain('<caption id="leaderboard-t0">Ranking</caption>')
    expect(html).toContain('<th scope="col">Model</th><th scope="col" class="num">Score</th>')
    expect(html).toContain('<div class="svg" role="img" aria-label="Two points"><svg')
    expect(html).toContain('<figcaption><strong>Cost vs score</strong>Lower right is better.</figcaption>')
    expect(html).toContain('<a href="#cost">Cost</a>')
    expect(html).toContain('@media print')
  })

  it('refuses a chart that is not self-contained', () => {
    expect(checkedSvg(svg, 't')).toBe(svg)
    for (const bad of [
      '<svg><script>alert(1)</script></svg>',
      '<svg><image href="https://example.org/x.png"/></svg>',
      '<svg><use href="http://x/y.svg#a"/></svg>',
      '<svg><rect style="fill: url(https://x/y)"/></svg>',
      '<svg onload="alert(1)"></svg>',
      '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
      '<div>not svg</div>',
    ])
      expect(() => checkedSvg(bad, 'Runtime')).toThrow(/The chart "Runtime" is not a self-contained SVG/)
  })
})
