import { createHash } from 'node:crypto'
import { basename, extname, resolve } from 'node:path'
import { AppError } from '../errors'
import { embedSignature, type EmbeddedKind } from '../signing/embedded'
import { writeFileAtomic } from '../signing/files'
import { signerFor } from '../signing/installation'
import { buildReportDoc } from './build'
import type { ReportDoc } from './doc'
import { renderHtml } from './html/render-html'
import type { ReportCtx, ReportOptions } from './inputs'
import { renderPdf } from './pdf/render-pdf'

export const REPORT_CONTENT_TYPE = 'wardeval-report/1'

export type ReportFormat = EmbeddedKind

/** The format of a report file by its extension; a clear error for any other. */
export function reportFormat(file: string): ReportFormat {
  const ext = extname(file).toLowerCase()
  if (ext === '.html' || ext === '.htm') return 'html'
  if (ext === '.pdf') return 'pdf'
  throw new AppError(
    'invalid_input',
    `Cannot tell the report format of ${basename(file)}: name the file .html or .pdf`,
  )
}

export interface Renderers {
  html: (doc: ReportDoc) => Promise<Buffer>
  pdf: (doc: ReportDoc) => Promise<Buffer>
}

export const defaultRenderers: Renderers = {
  html: async (doc) => Buffer.from(renderHtml(doc), 'utf8'),
  pdf: (doc) => renderPdf(doc),
}

export interface WrittenReport {
  file: string
  format: ReportFormat
  bytes: number
  /** sha256 of the report's content (without the signature block). */
  contentSha256: string
  fingerprint: string
  signedAt: string
  title: string
  scope: string
}

/** The scope of a report in one line: runs, category, statistics seed. */
export function scopeLine(doc: ReportDoc, options: ReportOptions): string {
  return [
    options.runIds?.length ? `runs ${options.runIds.join(', ')}` : 'latest scored runs',
    options.categoryId ? `category ${options.categoryId}` : 'all categories',
    doc.subtitle,
  ].join('; ')
}

/** A file name safe inside the signature block (an HTML comment). */
const safeName = (file: string) => basename(file).replace(/[^A-Za-z0-9._ ()]/g, '_')

/** Renders a document and writes it signed (the signature embedded), atomically. */
export async function writeReportDoc(
  ctx: Pick<ReportCtx, 'db' | 'dataDir' | 'env' | 'keyProtector'>,
  doc: ReportDoc,
  options: ReportOptions & { out: string },
  renderers: Renderers = defaultRenderers,
): Promise<WrittenReport> {
  const file = resolve(options.out)
  const format = reportFormat(file)
  const key = signerFor(ctx)
  const content = await renderers[format]({ ...doc, keyFingerprint: key.fingerprint })
  const signedAt = new Date().toISOString()
  const scope = scopeLine(doc, options)
  const signed = embedSignature(key, content, {
    kind: format,
    contentType: `${REPORT_CONTENT_TYPE}+${format}`,
    contentName: safeName(file),
    about: { title: doc.title, scope, generated: doc.generatedAt },
    now: signedAt,
  })
  writeFileAtomic(file, signed)
  return {
    file,
    format,
    bytes: signed.length,
    contentSha256: createHash('sha256').update(content).digest('hex'),
    fingerprint: key.fingerprint,
    signedAt,
    title: doc.title,
    scope,
  }
}

/** Builds, renders and writes a signed report (`report --out`, the app's Export report). */
export async function writeReport(
  ctx: ReportCtx,
  options: ReportOptions & { out: string },
  hooks: { renderers?: Renderers; onProgress?: (done: number, total: number) => void } = {},
): Promise<WrittenReport> {
  reportFormat(options.out) // refuse a bad name before the work
  const doc = await buildReportDoc(ctx, options, hooks.onProgress)
  return writeReportDoc(ctx, doc, options, hooks.renderers)
}
