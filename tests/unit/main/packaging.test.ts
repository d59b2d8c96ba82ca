import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { secureWebPreferences } from '../../../src/main/security/policy'
import { safeStorageProtector, type SafeStorageLike } from '../../../src/main/signing/safe-storage'

const root = join(__dirname, '../../..')

/** The `electronFuses:` block of electron-builder.yml as key → value. */
function fuses(): Record<string, string> {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8')
  const block = /^electronFuses:\n((?:[ \t]+\S.*\n?)+)/m.exec(yml)?.[1] ?? ''
  return Object.fromEntries(
    block
      .split('\n')
      .map((l) => /^\s+(\w+):\s*(\S+)/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  )
}

describe('packaged builds', () => {
  it('flip the security fuses: no file:// extra privileges, no Node mode, only the signed asar', () => {
    expect(fuses()).toMatchObject({
      grantFileProtocolExtraPrivileges: 'false',
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
    })
  })

  it('open windows without DevTools unless asked for (the composition root asks only when unpackaged)', () => {
    expect(secureWebPreferences('/p.js')).toMatchObject({ devTools: false })
    expect(secureWebPreferences('/p.js', { devTools: false })).toMatchObject({ devTools: false })
    expect(secureWebPreferences('/p.js', { devTools: true })).toMatchObject({ devTools: true })
    const root_ = readFileSync(join(root, 'src/main/index.ts'), 'utf8')
    expect(root_).toMatch(/devTools: !app\.isPackaged/)
  })

  it('stay on a supported Electron major (the newest three: 43–45 as of December 2026)', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>
      dependencies?: Record<string, string>
    }
    const range = pkg.devDependencies?.electron ?? pkg.dependencies?.electron ?? ''
    const major = Number(/(\d+)\./.exec(range)?.[1])
    expect(major).toBeGreaterThanOrEqual(43)
  })
})

describe('safeStorage key protector', () => {
  const fake = (available: boolean, backend?: string): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
    encryptString: (s) => Buffer.from(`enc:${s}`),
    decryptString: (b) => b.toString().slice(4),
  })

  it('seals and unseals bytes through the OS key store', () => {
    const p = safeStorageProtector(fake(true), 'darwin')
    expect(p.available()).toBe(true)
    const sealed = p.encrypt(Buffer.from([0, 1, 2, 255]))
    expect(sealed.toString().startsWith('enc:')).toBe(true)
    expect([...p.decrypt(sealed)]).toEqual([0, 1, 2, 255])
  })

  it("counts as unavailable without a key store, or with Linux's hard-coded basic_text fallback", () => {
    expect(safeStorageProtector(fake(false), 'win32').available()).toBe(false)
    expect(safeStorageProtector(fake(true, 'basic_text'), 'linux').available()).toBe(false)
    expect(safeStorageProtector(fake(true, 'gnome_libsecret'), 'linux').available()).toBe(true)
  })
})
