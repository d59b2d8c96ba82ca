import type { auditContract, KeyInfo } from '../../shared/api/audit'
import type { auditRequestsContract } from '../../shared/api/audit-requests'
import type { AppContext } from '../app/context'
import type { HandlersFor } from '../../shared/api/handlers'
import { signerFor } from '../signing/installation'
import { readPublicKey } from '../signing/key'
import { anchorInfo, anchorsDir, anchorsOf, writeAnchor } from './anchors'
import { verifyWithAnchors } from './anchor-verify'
import { listRequests } from './requests'
import { deliverPending, disableForwarding, forwardStatus, setForwarding } from './forward'

/** How many of the newest anchors the Privacy & Audit screen lists. */
export const LATEST_ANCHORS = 20

export function keyInfo(ctx: AppContext): KeyInfo {
  const k = signerFor(ctx)
  return { fingerprint: k.fingerprint, createdAt: k.createdAt, protection: k.protection, file: k.file }
}

export function publicKeyInfo(ctx: AppContext): KeyInfo | null {
  const k = ctx.dataDir ? readPublicKey(ctx.dataDir) : null
  return k
    ? { fingerprint: k.fingerprint, createdAt: k.createdAt, protection: k.protection, file: k.file }
    : null
}

export function latestAnchors(ctx: AppContext, limit = LATEST_ANCHORS) {
  const all = anchorsOf(ctx)
  return {
    dir: anchorsDir(ctx.dataDir),
    total: all.length,
    latest: all
      .slice(-limit)
      .reverse()
      .map((x) => anchorInfo(x.file, x.anchor)),
  }
}

/** The installation key, anchors, anchored verification and forwarding to a log collector. */
export function auditHandlers(
  ctx: AppContext,
): HandlersFor<keyof typeof auditContract | keyof typeof auditRequestsContract> {
  return {
    // Read-only: looking at the screen does not create the key (and so write to the log).
    'audit:key': () => publicKeyInfo(ctx),
    'audit:anchor': () => writeAnchor(ctx, { reason: 'manual' }),
    'audit:anchors': () => latestAnchors(ctx),
    'audit:verify-anchored': () => verifyWithAnchors(ctx),
    'audit:forward-status': () => forwardStatus(ctx),
    'audit:forward-set': (config) => setForwarding(ctx, config),
    'audit:forward-off': () => disableForwarding(ctx),
    'audit:forward-send': () => deliverPending(ctx),
    'audit:requests': (filter) => listRequests(ctx.db, filter),
  }
}
