import { createHash, verify as verifySignature } from 'node:crypto'
import { z } from 'zod'
import { canonicalJson } from '../audit/chain'
import { fingerprintOf, publicKeyFromBase64, type SigningKey } from './key'

/**
 * Signatures made with the installation key. One format serves every signed thing (audit anchors,
 * run manifests, reports): a signature envelope stating what was signed (the content's type, name,
 * sha256 and length), when, and by which key (fingerprint and public key), with an Ed25519
 * signature over that statement. The content itself stays outside the envelope: byte for byte, so
 * a single changed byte fails verification.
 *
 * - Detached: `<file>` and `<file>.sig` (run manifests, reports).
 * - Attached (anchors): one file of lines — the content (one line of canonical JSON), then the
 *   envelope — so one file can be copied, forwarded and verified on its own.
 */

export const SIGNATURE_FORMAT = 'wardeval-signature/1'
export const SIG_SUFFIX = '.sig'
/** Domain separation: a WardEval signature can never be replayed as a signature of anything else. */
const SIGNED_PREFIX = 'wardeval-signature-v1\n'

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)

export const SignatureEnvelope = z
  .object({
    format: z.literal(SIGNATURE_FORMAT),
    algorithm: z.literal('Ed25519'),
    /** What kind of document was signed, e.g. 'wardeval-run-manifest/1'. */
    contentType: z.string().min(1),
    /** The file name it was signed as (informative: renaming the file does not break the signature). */
    contentName: z.string(),
    contentSha256: Sha256Hex,
    contentBytes: z.number().int().nonnegative(),
    signedAt: z.string(),
    keyFingerprint: z.string(),
    /** SPKI DER, base64: a verifier needs nothing else than a fingerprint it trusts. */
    publicKey: z.string(),
    /** Ed25519 over SIGNED_PREFIX + the canonical JSON of every other field, base64. */
    signature: z.string(),
  })
  .strict()
export type SignatureEnvelope = z.infer<typeof SignatureEnvelope>

export interface SignMeta {
  contentType: string
  contentName: string
  now?: string
}

function statementBytes(envelope: Omit<SignatureEnvelope, 'signature'>): Buffer {
  return Buffer.from(SIGNED_PREFIX + canonicalJson(envelope), 'utf8')
}

const bytesOf = (content: Buffer | string) =>
  typeof content === 'string' ? Buffer.from(content, 'utf8') : content

/** Signs content with the installation key: the envelope to store beside it. */
export function signContent(key: SigningKey, content: Buffer | string, meta: SignMeta): SignatureEnvelope {
  const bytes = bytesOf(content)
  const statement = {
    format: SIGNATURE_FORMAT,
    algorithm: 'Ed25519',
    contentType: meta.contentType,
    contentName: meta.contentName,
    contentSha256: createHash('sha256').update(bytes).digest('hex'),
    contentBytes: bytes.length,
    signedAt: meta.now ?? new Date().toISOString(),
    keyFingerprint: key.fingerprint,
    publicKey: key.publicKey,
  } as const
  return { ...statement, signature: key.sign(statementBytes(statement)).toString('base64') }
}

/** The envelope as stored: one line of canonical JSON. */
export function serializeEnvelope(envelope: SignatureEnvelope): string {
  return canonicalJson(envelope)
}

export type SignatureProblem = 'malformed' | 'bad_signature' | 'untrusted_key' | 'content_changed'

export interface SignatureCheck {
  ok: boolean
  problem: SignatureProblem | null
  /** One plain sentence: what holds, or what failed. */
  message: string
  envelope: SignatureEnvelope | null
}

const fail = (problem: SignatureProblem, message: string, envelope: SignatureEnvelope | null = null) => ({
  ok: false,
  problem,
  message,
  envelope,
})

/**
 * Checks a stored envelope against the content and the fingerprints trusted (the installation's
 * own, and any the user names). The envelope must be canonical (so no byte of it can change either),
 * its signature valid for its public key, that key trusted, and the content's hash and length equal.
 */
export function checkSignature(
  envelopeText: string,
  content: Buffer | string,
  trusted: readonly string[],
): SignatureCheck {
  let parsed: unknown
  try {
    parsed = JSON.parse(envelopeText)
  } catch {
    return fail('malformed', 'The signature is not valid JSON.')
  }
  const r = SignatureEnvelope.safeParse(parsed)
  if (!r.success)
    return fail(
      'malformed',
      `The signature is malformed: field ${r.error.issues[0]?.path.join('.') || '(root)'}.`,
    )
  const env = r.data
  if (canonicalJson(env) !== envelopeText.trim())
    return fail(
      'bad_signature',
      'The signature file was edited (it is not in the form it was written in).',
      env,
    )
  let valid = false
  try {
    const key = publicKeyFromBase64(env.publicKey)
    const { signature, ...statement } = env
    valid =
      fingerprintOf(key) === env.keyFingerprint &&
      verifySignature(null, statementBytes(statement), key, Buffer.from(signature, 'base64'))
  } catch {
    valid = false
  }
  if (!valid)
    return fail('bad_signature', 'The signature does not verify: the signed statement was altered.', env)
  if (!trusted.includes(env.keyFingerprint))
    return fail(
      'untrusted_key',
      `Signed by ${env.keyFingerprint}, which is not this installation's key${trusted.length ? ` (${trusted.join(', ')})` : ' (none found)'}: signed elsewhere, or re-signed by someone else.`,
      env,
    )
  const bytes = bytesOf(content)
  const sha = createHash('sha256').update(bytes).digest('hex')
  if (sha !== env.contentSha256 || bytes.length !== env.contentBytes)
    return fail(
      'content_changed',
      `The content changed after it was signed (${bytes.length} bytes, sha256 ${sha.slice(0, 12)}…; signed: ${env.contentBytes} bytes, ${env.contentSha256.slice(0, 12)}…).`,
      env,
    )
  return {
    ok: true,
    problem: null,
    message: `Signed ${env.signedAt} by ${env.keyFingerprint}; content unchanged (${env.contentBytes} bytes, sha256 ${env.contentSha256}).`,
    envelope: env,
  }
}

/** An attached document: the content line, the envelope line, then optional local extras. */
export interface AttachedParts {
  content: string
  envelope: string
  extras: string | null
}

/** Joins content (one line) and its envelope into one attached document. */
export function attach(content: string, envelope: SignatureEnvelope, extras?: string): string {
  if (content.includes('\n')) throw new Error('attached content must be one line')
  return [content, serializeEnvelope(envelope), ...(extras === undefined ? [] : [extras])].join('\n') + '\n'
}

/** Splits an attached document; null if it has not got that shape. */
export function splitAttached(text: string): AttachedParts | null {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text
  const lines = body.split('\n')
  if (lines.length < 2 || lines.length > 3) return null
  return { content: lines[0]!, envelope: lines[1]!, extras: lines[2] ?? null }
}
