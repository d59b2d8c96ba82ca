import type { AppContext } from '../app/context'
import { currentActor } from '../audit/actor'
import { appendAudit } from '../audit/log'
import { installationKey, readPublicKey, type PublicKeyInfo, type SigningKey } from './key'

/**
 * The installation key of a context's data folder, created on first use; its creation is
 * recorded in the audit log (policy row 'key_created' naming the fingerprint), so the first anchor
 * also anchors which key was in use from the start.
 */
export function signerFor(ctx: Pick<AppContext, 'db' | 'dataDir' | 'env' | 'keyProtector'>): SigningKey {
  return installationKey(ctx.dataDir, {
    protector: ctx.keyProtector,
    onCreate: (key) =>
      appendAudit(ctx.db, {
        kind: 'policy',
        actor: currentActor(ctx.env),
        outcome: 'key_created',
        detail: `installation signing key created: Ed25519 ${key.fingerprint}, private key ${key.protection === 'none' ? 'in an owner-only file' : `sealed with ${key.protection}`} outside the database`,
      }),
  })
}

/** Fingerprints whose signatures are accepted: this installation's key and any the user names. */
export function trustedFingerprints(dataDir: string, extra: readonly string[] = []): string[] {
  let own: PublicKeyInfo | null = null
  if (dataDir) own = readPublicKey(dataDir)
  return [...(own ? [own.fingerprint] : []), ...extra.map((f) => f.trim()).filter(Boolean)]
}
