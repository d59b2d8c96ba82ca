import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findResourcesDir } from '../../app/paths'
import { AppError } from '../../errors'

/**
 * The report's fonts: DejaVu Sans (free, Bitstream Vera licence: resources/fonts/LICENSE-DejaVu.txt),
 * shipped in resources/fonts/. PDF's standard Helvetica only covers WinAnsi, and a report says
 * "−", "≥", "×", "ψ", "κ", "→"; DejaVu covers them all. The condensed cut sets tables.
 */
export const REPORT_FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  narrow: 'DejaVuSansCondensed.ttf',
  narrowBold: 'DejaVuSansCondensed-Bold.ttf',
} as const

export type FontRole = keyof typeof REPORT_FONT_FILES
export type ReportFonts = Record<FontRole, Buffer>

/** The name each font is registered under in a PDF document. */
export function fontName(role: FontRole): string {
  return `wardeval-${role}`
}

/**
 * Where the fonts are: the packaged app's resources folder (electron-builder extraResources puts
 * resources/ beside app.asar), else the repository's resources/ found by walking up from this
 * file (development, tests, the bundled CLI in out/main).
 */
export function defaultFontDir(): string {
  const packaged = (process as { resourcesPath?: string }).resourcesPath
  if (packaged) {
    const dir = join(packaged, 'resources', 'fonts')
    if (existsSync(join(dir, REPORT_FONT_FILES.regular))) return dir
  }
  try {
    return join(findResourcesDir(), 'fonts')
  } catch {
    throw new AppError(
      'internal',
      `The report font ${REPORT_FONT_FILES.regular} was not found: no WardEval resources/fonts folder ` +
        `above ${__dirname}. Reinstall WardEval.`,
    )
  }
}

const cache = new Map<string, ReportFonts>()

/** Reads the four font files once per folder; a missing file is named, never replaced silently. */
export function loadReportFonts(dir: string = defaultFontDir()): ReportFonts {
  const hit = cache.get(dir)
  if (hit) return hit
  const read = (file: string): Buffer => {
    const path = join(dir, file)
    try {
      return readFileSync(path)
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? 'unreadable'
      throw new AppError(
        'internal',
        `The report font ${path} could not be read (${why}). The PDF needs it for characters ` +
          'such as − ≥ × κ →; reinstall WardEval or restore resources/fonts/.',
      )
    }
  }
  const fonts = {
    regular: read(REPORT_FONT_FILES.regular),
    bold: read(REPORT_FONT_FILES.bold),
    narrow: read(REPORT_FONT_FILES.narrow),
    narrowBold: read(REPORT_FONT_FILES.narrowBold),
  }
  cache.set(dir, fonts)
  return fonts
}
