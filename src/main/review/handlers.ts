import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { reviewContract } from '../../shared/api/review'
import type { reviewPacketContract } from '../../shared/api/review-packets'
import type { AppContext } from '../app/context'
import { createSaveTargets, rendererWriteTarget, type SaveTargets } from '../app/save-targets'
import type { HandlersFor } from '../../shared/api/handlers'
import { chooseReviewer, reviewerIdentity } from './identity'
import { exportPacket, packetPreview } from './packet/export'
import { importPacketRatings } from './packet/import'
import {
  exportPacketRatings,
  listPackets,
  openPacket,
  packetItem,
  packetSession,
  ratePacketItem,
} from './packet/local'
import { blindItem, rateItem, reviewSession } from './rating'
import { allReviewSetIds, scorerLeague } from './league'
import { reviewAgreement, unblindedItems } from './report'
import { listReviewers } from './reviewers'
import { createReviewSet, listReviewSets, reviewCandidates, reviewSetSummary } from './sets'

/** A native open or save dialog the host may supply (the Electron root: dialog.showOpenDialog / showSaveDialog). */
export type PickPath = (options: { mode: 'open' | 'save'; suggestedName?: string }) => Promise<string | null>

export interface ReviewDeps {
  /** Absent where no native dialog exists (browser tests, headless): the user types the path. */
  pickPath?: PickPath
  /** Paths chosen in save dialogs: with the exports folder, the only places packets are written. */
  saveTargets?: SaveTargets
}

export function reviewHandlers(
  ctx: AppContext,
  deps: ReviewDeps = {},
): HandlersFor<keyof typeof reviewContract | keyof typeof reviewPacketContract> {
  const targets = deps.saveTargets ?? createSaveTargets()
  // Files written on the renderer's request: a path chosen in a save dialog, or inside exports/.
  const writable = (path: string) => {
    const target = rendererWriteTarget(ctx.dataDir, targets, path, path)
    mkdirSync(dirname(target), { recursive: true })
    return target
  }
  return {
    'review:reviewers': () => listReviewers(ctx.db),
    'review:reviewer-open': ({ name, confirmSwitch }) =>
      chooseReviewer(ctx.db, name, { confirmed: confirmSwitch }),
    'review:identity': () => reviewerIdentity(ctx.db),
    'review:sets': () => listReviewSets(ctx.db),
    'review:candidates': () => reviewCandidates(ctx.db),
    'review:create-set': (input) => reviewSetSummary(ctx.db, createReviewSet(ctx.db, input)),
    'review:session': ({ setId, reviewerId }) => reviewSession(ctx.db, setId, reviewerId),
    'review:item': ({ setId, reviewerId, position }) => blindItem(ctx.db, setId, reviewerId, position),
    'review:rate': (input) => rateItem(ctx.db, input),
    'review:agreement': ({ setId }) => reviewAgreement(ctx.db, setId),
    'review:league': ({ setIds }) => scorerLeague(ctx.db, setIds ?? allReviewSetIds(ctx.db)),
    'review:unblinded': ({ setId, reviewerId }) => unblindedItems(ctx.db, setId, reviewerId),
    'review:packet-preview': ({ setId, reviewerId }) => packetPreview(ctx.db, setId, reviewerId),
    'review:packet-export': (input) => exportPacket(ctx.db, { ...input, path: writable(input.path) }),
    'review:packet-open': ({ path }) => openPacket(ctx.db, path),
    'review:packets': () => listPackets(ctx.db),
    'review:packet-session': ({ packetId }) => packetSession(ctx.db, packetId),
    'review:packet-item': ({ packetId, position }) => packetItem(ctx.db, packetId, position),
    'review:packet-rate': (input) => ratePacketItem(ctx.db, input),
    'review:packet-ratings': ({ packetId, path }) => exportPacketRatings(ctx.db, packetId, writable(path)),
    'review:packet-import': ({ path }) => importPacketRatings(ctx.db, path),
    'review:pick-path': async ({ mode, suggestedName, probe }) => {
      if (!deps.pickPath) return { available: false, path: null }
      if (probe) return { available: true, path: null }
      const path = await deps.pickPath({ mode, ...(suggestedName !== undefined ? { suggestedName } : {}) })
      if (path && mode === 'save') targets.remember(path)
      return { available: true, path }
    },
  }
}
