import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import PDFDocument from 'pdfkit'
import { describe, expect, it } from 'vitest'
import type { ReportDoc } from '../../../src/main/report/doc'
import { writeReport } from '../../../src/main/report/write'
import { checkEmbedded, embedSignature } from '../../../src/main/signing/embedded'
import { signerFor } from '../../../src/main/signing/installation'
import { runCliCaptured } from '../../support/cli'
import { externalReferences } from './self-contained'
import { useReportWorld } from './use-world'
import { REPORT_MODELS } from './world'

/**
 * `report --out` writes one signed file; `verify <file>` says what was signed (title, scope, sha256
 * of the content), when and by which key — and fails on any single changed byte, wherever it is.
 */

const world = useReportWorld()

const cli = (...args: string[]) =>
  runCliCaptured(['--db', world.ctx.dbPath, ...args], { env: { OLLAMA_HOST: world.fake.url } })

function flip(file: string, at: number): void {
  const b = readFileSync(file)
  b[at] = b[at]! ^ 0x01
  writeFileSync(file, b)
}

async function tinyPdf(text: string): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', info: { Title: 'test' } })
  const chunks: Buffer[] = []
  pdf.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((res) => pdf.on('end', () => res()))
  pdf.text(text)
  pdf.end()
  await done
  return Buffer.concat(chunks)
}

describe('report CLI and verify', () => {
  it('writes a self-contained signed HTML report; verify names title, scope, sha256, time and key', async () => {
    const out = join(world.ctx.dir, 'committee.html')
    const r = await cli('report', '--runs', '1', '--seed', '5', '--out', out)
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const key = signerFor(world.ctx).fingerprint
    expect(r.stdout).toContain(`Wrote ${out} (HTML,`)
    expect(r.stdout).toContain(`by ${key}; the signature is embedded in the file`)
    const html = readFileSync(out, 'utf8')
    expect(externalReferences(html)).toEqual([])
    for (const m of REPORT_MODELS) expect(html).toContain(m)
    expect(html).toContain(`This file is signed by the installation key <code>${key}</code>`)

    const v = await cli('verify', out)
    expect(v.code).toBe(0)
    const content = html.slice(0, html.indexOf('\n<!--\nwardeval-embedded-signature/1\n'))
    const sha = (await import('node:crypto')).createHash('sha256').update(content).digest('hex')
    expect(v.stdout).toContain(`VERIFIED: ${out}`)
    expect(v.stdout).toContain('Title: WardEval evaluation report')
    expect(v.stdout).toContain('Scope: runs 1; all categories; 2 models on 1 benchmark; run 1')
    expect(v.stdout).toContain(`Content sha256 (without the signature block): ${sha}`)
    expect(v.stdout).toMatch(
      new RegExp(`Signed at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z by key ${key.replace(/[+/]/g, '\\$&')}`),
    )
  }, 60_000)

  it('fails after one byte changes in the middle, at the very end, or in the description', async () => {
    const out = join(world.ctx.dir, 'flip.html')
    expect((await cli('report', '--out', out)).code).toBe(0)
    const original = readFileSync(out)
    const middle = Math.floor(original.length / 2)
    flip(out, middle)
    const a = await cli('verify', out)
    expect(a.code).not.toBe(0)
    expect(a.stdout).toContain('NOT VERIFIED')
    expect(a.stdout).toMatch(/The file changed after it was signed/)
    writeFileSync(out, original)
    expect((await cli('verify', out)).code).toBe(0)
    flip(out, original.length - 1)
    const b = await cli('verify', out)
    expect(b.code).not.toBe(0)
    expect(b.stdout).toContain('The signature block at the end of the file was altered.')
    writeFileSync(out, original)
    const text = original.toString('utf8')
    flip(out, text.indexOf('{"about":') + 12) // a letter of the title as signed
    expect((await cli('verify', out)).code).not.toBe(0)
  }, 60_000)

  it('a PDF keeps opening with its embedded signature, and verifies; one byte changed fails', async () => {
    const pdf = await tinyPdf('WardEval report: ollama/model-a:1b 0.49 [0.45, 0.54]')
    const signed = embedSignature(signerFor(world.ctx), pdf, {
      kind: 'pdf',
      contentType: 'wardeval-report/1+pdf',
      contentName: 'r.pdf',
      about: { title: 'PDF report', scope: 'runs 1' },
    })
    const file = join(world.ctx.dir, 'r.pdf')
    writeFileSync(file, signed)
    expect(signed.subarray(pdf.length).toString('utf8')).toMatch(
      /^\n%wardeval-embedded-signature\/1\n%\{"about":/,
    )
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(
      'ollama/model-a:1b 0.49 [0.45, 0.54]',
    )
    expect(checkEmbedded(signed, [signerFor(world.ctx).fingerprint])).toMatchObject({
      ok: true,
      kind: 'pdf',
      about: { title: 'PDF report' },
    })
    expect((await cli('verify', file)).code).toBe(0)
    flip(file, Math.floor(pdf.length / 2))
    expect((await cli('verify', file)).code).not.toBe(0)
  })

  it('renders a .pdf output through the PDF renderer, signed the same way', async () => {
    const seen: ReportDoc[] = []
    const r = await writeReport(
      world.ctx,
      { out: join(world.ctx.dir, 'via-renderer.pdf') },
      {
        renderers: {
          html: () => Promise.reject(new Error('not this one')),
          pdf: async (doc) => {
            seen.push(doc)
            return tinyPdf(doc.title)
          },
        },
      },
    )
    expect(seen.map((d) => d.sections.length)).toEqual([9])
    expect(r).toMatchObject({ format: 'pdf', fingerprint: signerFor(world.ctx).fingerprint })
    expect((await cli('verify', r.file)).code).toBe(0)
  })

  it('refuses an output name that is neither .html nor .pdf, and warns on stderr before examples', async () => {
    const bad = await cli('report', '--out', join(world.ctx.dir, 'report.docx'))
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('Cannot tell the report format of report.docx: name the file .html or .pdf')
    const out = join(world.ctx.dir, 'examples.html')
    const r = await cli('report', '--include-examples', '1', '--out', out)
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(
      /^warning: Examples are instance texts and model answers: they may contain patient data/,
    )
    expect(readFileSync(out, 'utf8')).toContain('Case 0: a patient writes about symptom 0.')
    expect((await cli('report', '--include-examples', 'many', '--out', out)).code).toBe(2)
  }, 60_000)

  it('the manifest .sig sidecar keeps working beside embedded signatures', async () => {
    const m = join(world.ctx.dir, 'run-1.json')
    expect((await cli('run', 'manifest', '1', '--out', m)).code).toBe(0)
    const v = await cli('verify', m)
    expect(v.code).toBe(0)
    expect(v.stdout).toContain('wardeval-run-manifest/1')
  })
})
