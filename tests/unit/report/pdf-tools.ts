import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** poppler-utils around a PDF in memory: text, layout boxes, page sizes, rendered pages. */
export function pdfFile(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wardeval-pdf-')), 'report.pdf')
  writeFileSync(file, pdf)
  return file
}

export function pdfText(file: string, pages?: { first?: number; last?: number }): string {
  const range = [
    ...(pages?.first ? ['-f', String(pages.first)] : []),
    ...(pages?.last ? ['-l', String(pages.last)] : []),
  ]
  return execFileSync('pdftotext', ['-enc', 'UTF-8', ...range, file, '-'], { encoding: 'utf8' })
}

export function pdfInfo(file: string): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-isodates', file], { encoding: 'utf8' })
  return Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes(':'))
      .map((l) => [l.slice(0, l.indexOf(':')).trim(), l.slice(l.indexOf(':') + 1).trim()]),
  )
}

export interface PageBoxes {
  width: number
  height: number
  words: { text: string; xMin: number; yMin: number; xMax: number; yMax: number }[]
}

/** Every word with its box, per page (`pdftotext -bbox-layout`). */
export function pdfWordBoxes(file: string): PageBoxes[] {
  const html = execFileSync('pdftotext', ['-bbox-layout', '-enc', 'UTF-8', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  return html
    .split('<page ')
    .slice(1)
    .map((chunk) => {
      const size = /width="([\d.]+)" height="([\d.]+)"/.exec(chunk)!
      const words = [
        ...chunk.matchAll(
          /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({ text: m[5]!, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]! }))
      return { width: +size[1]!, height: +size[2]!, words }
    })
}

/** Page sizes in points, from `pdfinfo -f 1 -l N`. */
export function pageSizes(file: string, pages: number): { width: number; height: number }[] {
  const out = execFileSync('pdfinfo', ['-f', '1', '-l', String(pages), file], { encoding: 'utf8' })
  return [...out.matchAll(/Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)/g)].map((m) => ({
    width: +m[1]!,
    height: +m[2]!,
  }))
}

export interface Raster {
  width: number
  height: number
  /** RGB triplets. */
  pixels: Buffer
}

/** One page rendered to pixels (`pdftoppm`, PPM), for colour checks. */
export function renderPage(file: string, page: number, dpi = 60): Raster {
  const dir = mkdtempSync(join(tmpdir(), 'wardeval-ppm-'))
  execFileSync('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), file, join(dir, 'p')])
  const ppm = readFileSync(join(dir, readdirSync(dir)[0]!))
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString('latin1'))!
  return { width: +header[1]!, height: +header[2]!, pixels: ppm.subarray(header[0].length) }
}

/** How many pixels lie within `tolerance` (per channel) of a colour given as #rrggbb. */
export function countColour(raster: Raster, hex: string, tolerance = 24): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  let n = 0
  for (let i = 0; i < raster.pixels.length; i += 3) {
    if (
      Math.abs(raster.pixels[i]! - r!) <= tolerance &&
      Math.abs(raster.pixels[i + 1]! - g!) <= tolerance &&
      Math.abs(raster.pixels[i + 2]! - b!) <= tolerance
    )
      n++
  }
  return n
}
