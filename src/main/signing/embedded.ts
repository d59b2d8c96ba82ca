import { createHash } from 'node:crypto'
import { checkSignature, serializeEnvelope, signContent, type SignatureCheck } from './envelope'
import type { SigningKey } from './key'

/**
 * A signature embedded in the signed file itself, so a committee receives one file (reports).
 *
 * The file is its content followed by a trailer the format ignores — an HTML comment after
 * `</html>`, PDF comment lines after `%%EOF` (readers stop at the last %%EOF they understand):
 *
 *   <content bytes>
 *   <open>wardeval-embedded-signature/1
 *   <line>{"about":…}            what the file is (title, scope…), plain strings
 *   <line>{envelope}             the one signature format (envelope.ts)
 *   <close>
 *
 * The envelope signs `content ‖ "\n" ‖ about line`, so the description printed by `verify` is as
 * protected as the content; and the trailer must be exactly as written, so no byte of the file can
 * change without failing verification.
 */

export const EMBEDDED_FORMAT = 'wardeval-embedded-signature/1'

export type EmbeddedKind = 'html' | 'pdf'

interface TrailerSyntax {
  open: string
  line: string
  close: string
}

const SYNTAX: Record<EmbeddedKind, TrailerSyntax> = {
  html: { open: '\n<!--\n', line: '', close: '-->\n' },
  pdf: { open: '\n%', line: '%', close: '' },
}

/** What an embedded signature says the file is (plain strings; `--` never appears in the trailer). */
export type EmbeddedAbout = Record<string, string>

const aboutLine = (about: EmbeddedAbout) =>
  // Only strings: escaping every '-' keeps "--" (which ends an HTML comment) out of the trailer.
  JSON.stringify({ about }).replace(/-/g, '\\u002d')

function signedBytes(content: Buffer, line: string): Buffer {
  return Buffer.concat([content, Buffer.from(`\n${line}`, 'utf8')])
}

function trailer(kind: EmbeddedKind, line: string, envelope: string): string {
  const s = SYNTAX[kind]
  return `${s.open}${EMBEDDED_FORMAT}\n${s.line}${line}\n${s.line}${envelope}\n${s.close}`
}

/** The content with its signature embedded (content type e.g. 'wardeval-report/1+html'). */
export function embedSignature(
  key: SigningKey,
  content: Buffer,
  meta: { kind: EmbeddedKind; contentType: string; contentName: string; about: EmbeddedAbout; now?: string },
): Buffer {
  const line = aboutLine(meta.about)
  const envelope = signContent(key, signedBytes(content, line), {
    contentType: meta.contentType,
    contentName: meta.contentName,
    ...(meta.now ? { now: meta.now } : {}),
  })
  return Buffer.concat([content, Buffer.from(trailer(meta.kind, line, serializeEnvelope(envelope)), 'utf8')])
}

export interface EmbeddedCheck extends SignatureCheck {
  kind: EmbeddedKind
  about: EmbeddedAbout | null
  /** sha256 and length of the content before the trailer (what a reader sees). */
  contentSha256: string
  contentBytes: number
}

function parseAbout(line: string): EmbeddedAbout | null {
  try {
    const v = JSON.parse(line) as { about?: unknown }
    const a = v.about
    if (!a || typeof a !== 'object' || Array.isArray(a)) return null
    return Object.values(a).every((x) => typeof x === 'string') ? (a as EmbeddedAbout) : null
  } catch {
    return null
  }
}

function splitEmbedded(
  file: Buffer,
): { kind: EmbeddedKind; content: Buffer; lines: string[]; trailer: string } | null {
  for (const kind of ['html', 'pdf'] as const) {
    const marker = Buffer.from(`${SYNTAX[kind].open}${EMBEDDED_FORMAT}\n`, 'utf8')
    const at = file.lastIndexOf(marker)
    if (at < 0) continue
    const tail = file.subarray(at).toString('utf8')
    const body = tail.slice(marker.length)
    const lines = body.split('\n').slice(0, 2)
    const prefix = SYNTAX[kind].line
    if (lines.length < 2 || !lines.every((l) => l.startsWith(prefix))) return null
    return {
      kind,
      content: file.subarray(0, at),
      lines: lines.map((l) => l.slice(prefix.length)),
      trailer: tail,
    }
  }
  return null
}

/**
 * Checks a file with an embedded signature; null when the file has none. Fails (ok false) when the
 * content, the description, the envelope or any byte of the trailer changed.
 */
export function checkEmbedded(file: Buffer, trusted: readonly string[]): EmbeddedCheck | null {
  const parts = splitEmbedded(file)
  if (!parts) return null
  const [line, envelopeText] = parts.lines as [string, string]
  const check = checkSignature(envelopeText, signedBytes(parts.content, line), trusted)
  const about = parseAbout(line)
  const exact = trailer(parts.kind, line, envelopeText) === parts.trailer
  const base = {
    kind: parts.kind,
    about,
    contentSha256: createHash('sha256').update(parts.content).digest('hex'),
    contentBytes: parts.content.length,
  }
  if (check.ok && (!exact || !about))
    return {
      ...check,
      ...base,
      ok: false,
      problem: 'content_changed',
      message: 'The signature block at the end of the file was altered.',
    }
  if (!check.ok && check.problem === 'content_changed')
    return { ...check, ...base, message: `The file changed after it was signed: ${check.message}` }
  return { ...check, ...base }
}
