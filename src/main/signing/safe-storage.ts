import type { KeyProtector } from './key'

/** The part of Electron's safeStorage the key protector uses (the core never imports Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  /** Linux only: which secret store backs it; 'basic_text' is a fixed password, no protection. */
  getSelectedStorageBackend?: () => string
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
}

/**
 * Seals the installation's private key with the OS key store (Keychain, DPAPI, libsecret/kwallet)
 * through Electron's safeStorage. Where there is none — or only Chromium's hard-coded 'basic_text'
 * fallback on Linux — it reports itself unavailable and the key stays an owner-only file.
 */
export function safeStorageProtector(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
): KeyProtector {
  return {
    name: 'safeStorage',
    available: () => {
      if (!safeStorage.isEncryptionAvailable()) return false
      if (platform !== 'linux' || !safeStorage.getSelectedStorageBackend) return true
      const backend = safeStorage.getSelectedStorageBackend()
      return backend !== 'basic_text' && backend !== 'unknown'
    },
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  }
}
