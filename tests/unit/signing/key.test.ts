import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkSignature, serializeEnvelope, signContent } from '../../../src/main/signing/envelope'
import {
  installationKey,
  KEY_FILE_NAME,
  readPublicKey,
  type KeyProtector,
} from '../../../src/main/signing/key'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wardeval-key-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** Stands in for Electron's safeStorage: a reversible seal this test can see through. */
function fakeSafeStorage(available = true): KeyProtector & { sealed: number } {
  const p = {
    name: 'safeStorage',
    sealed: 0,
    available: () => available,
    encrypt: (b: Buffer) => {
      p.sealed++
      return Buffer.concat([Buffer.from('SEALED:'), Buffer.from(b.map((x) => x ^ 0x5a))])
    },
    decrypt: (b: Buffer) => Buffer.from(b.subarray(7).map((x) => x ^ 0x5a)),
  }
  return p
}

describe('installation key', () => {
  it('is created on first use as an owner-only file and reused after', () => {
    expect(readPublicKey(dir)).toBeNull()
    const created: string[] = []
    const k = installationKey(dir, { onCreate: (i) => created.push(i.fingerprint) })
    expect(k.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    expect(created).toEqual([k.fingerprint])
    expect(statSync(join(dir, KEY_FILE_NAME)).mode & 0o777).toBe(0o600)
    const again = installationKey(dir, { onCreate: (i) => created.push(i.fingerprint) })
    expect(again.fingerprint).toBe(k.fingerprint)
    expect(created).toHaveLength(1)
    expect(readPublicKey(dir)).toMatchObject({ fingerprint: k.fingerprint, protection: 'none' })
  })

  it('signs so that the envelope verifies, and any change fails', () => {
    const k = installationKey(dir)
    const env = signContent(k, 'hello', { contentType: 'text/plain', contentName: 'h.txt' })
    const text = serializeEnvelope(env)
    expect(checkSignature(text, 'hello', [k.fingerprint])).toMatchObject({ ok: true, problem: null })
    expect(checkSignature(text, 'hellO', [k.fingerprint]).problem).toBe('content_changed')
    expect(checkSignature(text, 'hello', ['SHA256:someone-else']).problem).toBe('untrusted_key')
    expect(checkSignature(text.replace('h.txt', 'x.txt'), 'hello', [k.fingerprint]).problem).toBe(
      'bad_signature',
    )
    expect(checkSignature(JSON.stringify(env, null, 1), 'hello', [k.fingerprint]).problem).toBe(
      'bad_signature',
    )
    expect(checkSignature('{"format":1}', 'hello', [k.fingerprint]).problem).toBe('malformed')
  })

  it('with a protector (the app: safeStorage) the private key is stored sealed; without it, it cannot sign', () => {
    const safe = fakeSafeStorage()
    const k = installationKey(dir, { protector: safe })
    expect(safe.sealed).toBe(1)
    const file = JSON.parse(readFileSync(join(dir, KEY_FILE_NAME), 'utf8')) as {
      protection: string
      privateKey: string
    }
    expect(file.protection).toBe('safeStorage')
    expect(Buffer.from(file.privateKey, 'base64').subarray(0, 7).toString()).toBe('SEALED:')
    const env = signContent(installationKey(dir, { protector: safe }), 'x', {
      contentType: 't',
      contentName: 'x',
    })
    expect(checkSignature(serializeEnvelope(env), 'x', [k.fingerprint]).ok).toBe(true)
    // the CLI has no safeStorage: it can verify (public key) but not sign
    const other = mkdtempSync(join(tmpdir(), 'wardeval-key-'))
    try {
      writeFileSync(join(other, KEY_FILE_NAME), readFileSync(join(dir, KEY_FILE_NAME)), { mode: 0o600 })
      expect(readPublicKey(other)!.fingerprint).toBe(k.fingerprint)
      expect(() => installationKey(other)).toThrow(/protected by the desktop app's safeStorage/)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('where the OS offers no key store, the key is stored owner-only and unsealed', () => {
    const safe = fakeSafeStorage(false)
    expect(installationKey(dir, { protector: safe }).protection).toBe('none')
    expect(safe.sealed).toBe(0)
  })

  it('refuses a key file others can read, and a damaged one', () => {
    installationKey(dir)
    const file = join(dir, KEY_FILE_NAME)
    chmodSync(file, 0o644)
    // a new modification time drops the cached key
    const later = new Date(Date.now() + 5000)
    utimesSync(file, later, later)
    expect(() => installationKey(dir)).toThrow(/readable by other users \(mode 644\)/)
    chmodSync(file, 0o600)
    const k = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
    writeFileSync(file, JSON.stringify({ ...k, fingerprint: 'SHA256:x' }), { mode: 0o600 })
    expect(() => installationKey(dir)).toThrow(/fingerprint does not match its public key/)
    writeFileSync(file, '{', { mode: 0o600 })
    expect(() => readPublicKey(dir)).toThrow(/not valid JSON/)
  })

  it('two processes creating the key at once end up with one key', async () => {
    const { Worker } = await import('node:worker_threads')
    const script = `
      const { workerData, parentPort } = require('node:worker_threads')
      require('tsx/cjs')
      const { installationKey } = require(workerData.module)
      parentPort.postMessage(installationKey(workerData.dir).fingerprint)`
    const module = join(__dirname, '../../../src/main/signing/key.ts')
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const w = new Worker(script, { eval: true, workerData: { dir, module } })
        w.once('message', resolve)
        w.once('error', reject)
      })
    const prints = await Promise.all([run(), run(), run()])
    expect(new Set(prints).size).toBe(1)
    expect(readPublicKey(dir)!.fingerprint).toBe(prints[0])
  })
})
