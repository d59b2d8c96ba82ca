import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  type KeyObject,
} from 'node:crypto'
import { chmodSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { AppError } from '../errors'
import { partialPath } from '../files/partial-path'

/**
 * The installation key: one Ed25519 key pair per data folder, created on first use. It signs audit
 * anchors, run manifests and reports. The private key never enters the database: it lives in an
 * owner-only file in the data folder, and in the desktop app it is additionally encrypted with the
 * operating system's key store (Electron safeStorage) when one is available — injected as a
 * KeyProtector by the composition root, since the core never imports Electron.
 */

export const KEY_FILE_NAME = 'installation-key.json'
export const KEY_FILE_FORMAT = 'wardeval-installation-key/1'

/** Encrypts the private key at rest with a secret this process cannot hand out (the OS key store). */
export interface KeyProtector {
  /** Recorded in the key file, e.g. 'safeStorage'. */
  readonly name: string
  /** False where the OS offers no real protection (then the key is stored owner-only, unencrypted). */
  available(): boolean
  encrypt(plain: Buffer): Buffer
  decrypt(sealed: Buffer): Buffer
}

const KeyFile = z.object({
  format: z.literal(KEY_FILE_FORMAT),
  algorithm: z.literal('Ed25519'),
  createdAt: z.string(),
  fingerprint: z.string(),
  /** SPKI DER, base64. */
  publicKey: z.string(),
  /** 'none': PKCS#8 DER in base64; otherwise the protector's sealed PKCS#8, base64. */
  protection: z.string(),
  privateKey: z.string(),
})
type KeyFile = z.infer<typeof KeyFile>

/** The public half: enough to verify, shown to users by its fingerprint. */
export interface PublicKeyInfo {
  fingerprint: string
  /** SPKI DER, base64. */
  publicKey: string
  createdAt: string
  protection: string
  file: string
}

export interface SigningKey extends PublicKeyInfo {
  /** Ed25519 signature (64 bytes) over data. */
  sign(data: Buffer): Buffer
}

export function keyFilePath(dataDir: string): string {
  if (!dataDir)
    throw new AppError(
      'conflict',
      'This database has no data folder (in memory), so it has no installation key.',
    )
  return join(dataDir, KEY_FILE_NAME)
}

/** "SHA256:" and the unpadded base64 of sha256 over the raw 32-byte public key (as ssh-keygen -l shows keys). */
export function fingerprintOf(publicKey: KeyObject): string {
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url')
  return `SHA256:${createHash('sha256').update(raw).digest('base64').replace(/=+$/, '')}`
}

/** A public key from its SPKI DER (base64); throws if it is not Ed25519. */
export function publicKeyFromBase64(spki: string): KeyObject {
  const key = createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' })
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType})`)
  return key
}

function readKeyFile(file: string): KeyFile | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new AppError('conflict', `Cannot read the installation key ${file}: ${(e as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new AppError('conflict', `The installation key ${file} is not valid JSON: the file is damaged.`)
  }
  const r = KeyFile.safeParse(parsed)
  if (!r.success)
    throw new AppError(
      'conflict',
      `The installation key ${file} is damaged: field ${r.error.issues[0]?.path.join('.') || '(root)'} is invalid.`,
    )
  const fp = fingerprintOf(publicKeyFromBase64(r.data.publicKey))
  if (fp !== r.data.fingerprint)
    throw new AppError(
      'conflict',
      `The installation key ${file} is damaged: its fingerprint does not match its public key.`,
    )
  return r.data
}

function info(k: KeyFile, file: string): PublicKeyInfo {
  return {
    fingerprint: k.fingerprint,
    publicKey: k.publicKey,
    createdAt: k.createdAt,
    protection: k.protection,
    file,
  }
}

/** The installation's public key, without creating one (verification never creates a key). */
export function readPublicKey(dataDir: string): PublicKeyInfo | null {
  const file = keyFilePath(dataDir)
  const k = readKeyFile(file)
  return k ? info(k, file) : null
}

/** Refuses a private key file that others could read (as ssh does): it may have leaked. */
function checkOwnerOnly(file: string): void {
  if (process.platform === 'win32') return
  const mode = statSync(file).mode & 0o777
  if (mode & 0o077)
    throw new AppError(
      'conflict',
      `The installation key ${file} is readable by other users (mode ${mode.toString(8)}); it may have leaked. Restrict it (chmod 600) if you are sure it did not.`,
    )
}

function unseal(k: KeyFile, file: string, protector: KeyProtector | undefined): KeyObject {
  let der: Buffer = Buffer.from(k.privateKey, 'base64')
  if (k.protection !== 'none') {
    if (!protector || protector.name !== k.protection || !protector.available())
      throw new AppError(
        'conflict',
        `The installation key ${file} is protected by the desktop app's ${k.protection} (the OS key store); only the WardEval app can sign with it. Use the app, or verify (which needs only the public key).`,
      )
    der = protector.decrypt(der)
  }
  const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
  if (fingerprintOf(createPublicKey(key)) !== k.fingerprint)
    throw new AppError(
      'conflict',
      `The installation key ${file} is damaged: its private key does not match its public key.`,
    )
  return key
}

/**
 * Writes a new key file without ever replacing one: written to a temporary file (mode 0600), then
 * hard-linked into place, which fails if another process created the key first.
 */
function createKeyFile(file: string, protector: KeyProtector | undefined, now: string): boolean {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' })
  const protect = protector?.available() ? protector : undefined
  const content: KeyFile = {
    format: KEY_FILE_FORMAT,
    algorithm: 'Ed25519',
    createdAt: now,
    fingerprint: fingerprintOf(publicKey),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    protection: protect ? protect.name : 'none',
    privateKey: (protect ? protect.encrypt(pkcs8) : pkcs8).toString('base64'),
  }
  const dir = join(file, '..')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const tmp = partialPath(file)
  writeFileSync(tmp, JSON.stringify(content, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
  try {
    chmodSync(tmp, 0o600)
    linkSync(tmp, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new AppError('conflict', `Cannot write the installation key ${file}: ${(e as Error).message}`)
  } finally {
    rmSync(tmp, { force: true })
  }
}

export interface KeyOptions {
  protector?: KeyProtector
  now?: () => string
  /** Told when this call created the key (the caller records it in the audit log). */
  onCreate?: (key: PublicKeyInfo) => void
}

const cache = new Map<string, { mtimeMs: number; key: SigningKey }>()

/** The installation key of this data folder, created on first use. */
export function installationKey(dataDir: string, options: KeyOptions = {}): SigningKey {
  const file = keyFilePath(dataDir)
  let k = readKeyFile(file)
  if (!k) {
    const created = createKeyFile(
      file,
      options.protector,
      (options.now ?? (() => new Date().toISOString()))(),
    )
    k = readKeyFile(file)
    if (!k) throw new AppError('conflict', `The installation key ${file} vanished after it was created.`)
    if (created) options.onCreate?.(info(k, file))
  }
  const mtimeMs = statSync(file).mtimeMs
  const hit = cache.get(file)
  if (hit && hit.mtimeMs === mtimeMs && hit.key.fingerprint === k.fingerprint) return hit.key
  checkOwnerOnly(file)
  const privateKey = unseal(k, file, options.protector)
  const key: SigningKey = { ...info(k, file), sign: (data) => signEd25519(privateKey, data) }
  cache.set(file, { mtimeMs, key })
  return key
}

/** Ed25519 takes no separate digest: the algorithm argument is null. */
function signEd25519(key: KeyObject, data: Buffer): Buffer {
  return sign(null, data, key)
}
