import SVGtoPDF from 'svg-to-pdfkit'
import { AppError } from '../../errors'
import type { ChartBlock } from '../doc'
import { fontName } from './fonts'
import { COLOR, TYPE, contentWidth, ensureSpace, printable, useFont, type Pdf } from './layout'
import { tag, type Struct } from './tags'

/**
 * A chart drawn as vectors from the same SVG the HTML report inlines (the app's own chart
 * components, rendered off-screen: report/charts.ts), scaled to the page with its title above and
 * its plain-language caption below. The text alternative goes into the text layer (invisible), so
 * the chart's content can be searched and read aloud.
 */
const MAX_HEIGHT_SHARE = 0.42
const UNREADABLE = /^parseXml:|does not look like a valid SVG|can't be rendered directly|failed to open font/

export function drawChart(pdf: Pdf, parent: Struct, chart: ChartBlock): void {
  if (!(chart.width > 0 && chart.height > 0 && Number.isFinite(chart.width / chart.height)))
    throw new AppError(
      'internal',
      `The chart "${chart.title}" has no size (${chart.width} × ${chart.height}).`,
    )
  const maxHeight = (pdf.page.height - pdf.page.margins.top - pdf.page.margins.bottom) * MAX_HEIGHT_SHARE
  // Fill the text width unless that makes the chart taller than its share of the page.
  const scale = Math.min(contentWidth(pdf) / chart.width, maxHeight / chart.height)
  const w = chart.width * scale
  const h = chart.height * scale
  const x = pdf.page.margins.left + (contentWidth(pdf) - w) / 2
  useFont(pdf, 'bold', TYPE.body + 0.5)
  const titleHeight = pdf.heightOfString(printable(chart.title), { width: contentWidth(pdf) })
  useFont(pdf, 'regular', TYPE.small)
  const captionHeight = pdf.heightOfString(printable(chart.caption), { width: contentWidth(pdf) })
  ensureSpace(pdf, titleHeight + h + captionHeight + 16)
  tag(pdf, parent, 'P', () =>
    useFont(pdf, 'bold', TYPE.body + 0.5).text(printable(chart.title), pdf.page.margins.left, pdf.y, {
      width: contentWidth(pdf),
    }),
  )
  const top = pdf.y + 4
  tag(pdf, parent, 'Figure', () => drawSvg(pdf, chart, x, top, w, h), { alt: printable(chart.alt) })
  pdf.y = top + h + 4
  tag(pdf, parent, 'P', () =>
    useFont(pdf, 'regular', TYPE.small, COLOR.muted).text(
      printable(chart.caption),
      pdf.page.margins.left,
      pdf.y,
      {
        width: contentWidth(pdf),
      },
    ),
  )
  pdf.y += 10
}

function drawSvg(pdf: Pdf, chart: ChartBlock, x: number, top: number, w: number, h: number): void {
  SVGtoPDF(pdf, prepareSvg(chart), x, top, {
    width: w,
    height: h,
    assumePt: true,
    preserveAspectRatio: 'xMidYMid meet',
    // The charts lay out their labels by Helvetica's widths (shared/charts/text.ts); DejaVu Sans is
    // about a tenth wider and ran legend entries into each other, its condensed cut about matches.
    fontCallback: (_family, bold) => fontName(bold ? 'narrowBold' : 'narrow'),
    warningCallback: (message) => {
      // Markup that cannot be read would leave a blank where the chart should be: that fails the
      // report. Other notices (a feature the converter skips) leave a readable chart.
      if (UNREADABLE.test(message))
        throw new AppError('internal', `The chart "${chart.title}" could not be drawn in the PDF: ${message}`)
    },
  })
  drawAltText(pdf, printable(chart.alt), x, top, w, h)
}

/** The alternative text, invisible (text render mode 3) inside the chart's box. */
function drawAltText(pdf: Pdf, alt: string, x: number, y: number, w: number, h: number): void {
  if (!alt) return
  pdf.save()
  pdf.addContent('3 Tr')
  useFont(pdf, 'regular', 4).text(alt, x, y, { width: w, height: h, ellipsis: true })
  pdf.addContent('0 Tr')
  pdf.restore()
}

/**
 * Makes the markup stand alone: a viewBox so it scales, the report's font and a 12 px default
 * size where the app's stylesheet would have supplied them, and CSS custom properties resolved
 * to their fallbacks (the converter knows no `var()`).
 */
export function prepareSvg(chart: ChartBlock): string {
  const svg = chart.svg.replace(/var\(\s*--[\w-]+\s*,\s*([^()]*(?:\([^()]*\))?)\s*\)/g, '$1')
  return svg.replace(/<svg\b([^>]*)>/, (_tag, attrs: string) => {
    let extra = ''
    if (!/\sviewBox=/.test(attrs)) extra += ` viewBox="0 0 ${chart.width} ${chart.height}"`
    if (!/\sfont-size=/.test(attrs)) extra += ' font-size="12"'
    if (!/\sfont-family=/.test(attrs)) extra += ' font-family="DejaVu Sans"'
    return `<svg${attrs}${extra}>`
  })
}
