import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import { AppError } from '../errors'
import { partialPath } from '../files/partial-path'
import {
  checkSignature,
  serializeEnvelope,
  signContent,
  SIG_SUFFIX,
  splitAttached,
  type AttachedParts,
  type SignatureCheck,
} from './envelope'
import { canonicalJson } from '../audit/chain'
import type { SigningKey } from './key'
import { checkEmbedded, type EmbeddedAbout } from './embedded'

/** Writes a file atomically (temporary file, then rename): never half-written. */
export function writeFileAtomic(target: string, content: string | Buffer, mode = 0o600): void {
  const tmp = partialPath(target)
  try {
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(tmp, content, { mode })
    renameSync(tmp, target)
  } catch (e) {
    rmSync(tmp, { force: true })
    throw new AppError('invalid_input', `Cannot write ${target}: ${(e as Error).message}`)
  }
}

/**
 * Writes `content` to `file` and its detached signature to `file.sig` (the content first: a
 * signature never names content that is not there). Returns both paths.
 */
export function writeSignedFile(
  key: SigningKey,
  file: string,
  content: string | Buffer,
  contentType: string,
): { file: string; signature: string; fingerprint: string } {
  const target = resolve(file)
  const envelope = signContent(key, content, { contentType, contentName: basename(target) })
  writeFileAtomic(target, content)
  writeFileAtomic(target + SIG_SUFFIX, serializeEnvelope(envelope) + '\n')
  return { file: target, signature: target + SIG_SUFFIX, fingerprint: key.fingerprint }
}

export interface FileVerification extends SignatureCheck {
  /** The signed file and where its signature was found. */
  file: string
  signatureFile: string
  layout: 'detached' | 'attached' | 'embedded'
  /** The signed content when it is JSON (for describing what was signed), else null. */
  content: unknown
  /** Local extras of an attached document (an anchor's row hashes), unverified here. */
  extras: string | null
  /** An embedded signature (a report): what the file says it is, signed with it; else null. */
  about?: EmbeddedAbout | null
  /** Embedded: sha256 of the file's content before the signature block. */
  contentSha256?: string
}

function readOrThrow(file: string): Buffer {
  try {
    return readFileSync(file)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new AppError(
      code === 'ENOENT' ? 'not_found' : 'invalid_input',
      `Cannot read ${file}: ${code ?? (e as Error).message}`,
    )
  }
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

/**
 * Verifies a signed file: `x` with `x.sig` beside it (either may be named), or an attached document
 * (an anchor). Fails — never throws — when the signature or any byte of the content does not check
 * out; throws AppError only when there is nothing to verify.
 */
export function verifySignedFile(path: string, trusted: readonly string[]): FileVerification {
  const given = resolve(path)
  const detachedContent = given.endsWith(SIG_SUFFIX) ? given.slice(0, -SIG_SUFFIX.length) : given
  const sigFile = detachedContent + SIG_SUFFIX
  if (existsSync(sigFile) && existsSync(detachedContent)) {
    const content = readOrThrow(detachedContent)
    const check = checkSignature(readOrThrow(sigFile).toString('utf8'), content, trusted)
    return {
      ...check,
      file: detachedContent,
      signatureFile: sigFile,
      layout: 'detached',
      content: jsonOrNull(content.toString('utf8')),
      extras: null,
    }
  }
  if (given.endsWith(SIG_SUFFIX))
    throw new AppError(
      'not_found',
      `${given} names a signature, but the signed file ${detachedContent} is missing.`,
    )
  const bytes = readOrThrow(given)
  const embedded = checkEmbedded(bytes, trusted)
  if (embedded) {
    const { kind: _kind, about, contentSha256, contentBytes: _n, ...check } = embedded
    return {
      ...check,
      file: given,
      signatureFile: given,
      layout: 'embedded',
      content: null,
      extras: null,
      about,
      contentSha256,
    }
  }
  const text = bytes.toString('utf8')
  const parts = splitAttached(text) ?? collectorCopy(text)
  if (!parts)
    throw new AppError(
      'not_found',
      `${given} carries no signature: expected ${basename(sigFile)} beside it, a signed WardEval report, or a signed WardEval anchor.`,
    )
  const check = checkSignature(parts.envelope, parts.content, trusted)
  return {
    ...check,
    file: given,
    signatureFile: given,
    layout: 'attached',
    content: jsonOrNull(parts.content),
    extras: parts.extras,
  }
}

/**
 * An anchor as a log collector received it (the MSG of the syslog message, saved to a file):
 * {"anchor": …, "signature": …} on one line. The signed bytes are the anchor's canonical JSON.
 */
function collectorCopy(text: string): AttachedParts | null {
  const v = jsonOrNull(text.trim()) as { anchor?: unknown; signature?: unknown } | null
  if (!v || typeof v !== 'object' || !v.anchor || !v.signature) return null
  return { content: canonicalJson(v.anchor), envelope: canonicalJson(v.signature), extras: null }
}
