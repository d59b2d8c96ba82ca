import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { REPORT_FONT_FILES, defaultFontDir, loadReportFonts } from '../../../src/main/report/pdf/fonts'

const root = join(__dirname, '../../..')
const proc = process as { resourcesPath?: string }

afterEach(() => {
  delete proc.resourcesPath
})

describe('report fonts', () => {
  it('are found in the repository in development, tests and the bundled CLI', () => {
    expect(defaultFontDir()).toBe(join(root, 'resources', 'fonts'))
    const fonts = loadReportFonts()
    for (const role of Object.keys(REPORT_FONT_FILES) as (keyof typeof REPORT_FONT_FILES)[])
      expect(fonts[role].length).toBeGreaterThan(100_000)
  })

  it('are taken from the packaged app’s resources folder when there is one', () => {
    const resources = mkdtempSync(join(tmpdir(), 'wardeval-res-'))
    mkdirSync(join(resources, 'resources', 'fonts'), { recursive: true })
    copyFileSync(
      join(root, 'resources', 'fonts', REPORT_FONT_FILES.regular),
      join(resources, 'resources', 'fonts', REPORT_FONT_FILES.regular),
    )
    proc.resourcesPath = resources
    expect(defaultFontDir()).toBe(join(resources, 'resources', 'fonts'))
  })

  it('fall back to the repository when Electron’s resources folder has none (development)', () => {
    proc.resourcesPath = mkdtempSync(join(tmpdir(), 'wardeval-electron-'))
    expect(defaultFontDir()).toBe(join(root, 'resources', 'fonts'))
  })

  it('name the missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wardeval-fonts-'))
    copyFileSync(
      join(root, 'resources', 'fonts', REPORT_FONT_FILES.regular),
      join(dir, REPORT_FONT_FILES.regular),
    )
    expect(() => loadReportFonts(dir)).toThrow(join(dir, REPORT_FONT_FILES.bold))
  })

  it('ship with the packaged app, and pdfkit stays outside the bundle so its data files load', () => {
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
    expect(yml).toMatch(/extraResources:\n\s+- from: resources\n\s+to: resources/)
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(pkg.dependencies).toHaveProperty('pdfkit')
    expect(pkg.dependencies).toHaveProperty('svg-to-pdfkit')
  })
})
