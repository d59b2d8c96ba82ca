import { join } from 'node:path'
import type { runsContract } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import { createSaveTargets, exportsDir, rendererWriteTarget, type SaveTargets } from '../app/save-targets'
import { AppError } from '../errors'
import type { HandlersFor } from '../../shared/api/handlers'
import { writeSignedFile } from '../signing/files'
import { signerFor } from '../signing/installation'
import { resumeRun, startNewRun, stopRun } from './control'
import { isActive } from './executions'
import {
  currentManifest,
  listRuns,
  runDetail,
  runItemDetail,
  runItemsPage,
  runRow,
  runSummary,
} from './store'

/** Where a manifest goes when the user names no file: the exports folder next to the database. */
export function defaultManifestFile(dataDir: string, runId: number): string {
  return join(exportsDir(dataDir), `run-${runId}-manifest.json`)
}

/**
 * Writes a run's manifest as JSON (to a temporary file, then renamed: never half-written) with its
 * detached signature by the installation key beside it (`<file>.sig`; check it with `verify <file>`).
 */
export function exportManifest(
  ctx: Pick<AppContext, 'db' | 'dataDir' | 'env' | 'keyProtector'>,
  runId: number,
  file: string,
): { file: string; signature: string; fingerprint: string } {
  const manifest = currentManifest(ctx.db, runRow(ctx.db, runId))
  if (!manifest) throw new AppError('not_found', `Run ${runId} has no manifest yet`)
  return writeSignedFile(signerFor(ctx), file, JSON.stringify(manifest, null, 2) + '\n', manifest.format)
}

export function runsHandlers(
  ctx: AppContext,
  deps: { saveTargets: SaveTargets } = { saveTargets: createSaveTargets() },
): HandlersFor<keyof typeof runsContract> {
  const active = isActive(ctx.db)
  return {
    'runs:list': () => listRuns(ctx.db, active),
    'runs:get': ({ id }) => runDetail(ctx.db, id, active),
    'runs:start': async (input) => {
      const { runId } = await startNewRun(ctx, input)
      return runSummary(ctx.db, runId, active)
    },
    'runs:pause': ({ id }) => stopRun(ctx, id, 'pause'),
    'runs:cancel': ({ id }) => stopRun(ctx, id, 'cancel'),
    'runs:resume': ({ id }) => {
      resumeRun(ctx, id)
      return runSummary(ctx.db, id, active)
    },
    'runs:items': (q) => runItemsPage(ctx.db, q),
    'runs:item': ({ runId, itemId }) => runItemDetail(ctx.db, runId, itemId),
    // The renderer may name a file only if the user chose it in a save dialog (or it is in exports/).
    'runs:export-manifest': ({ id, file }) =>
      exportManifest(
        ctx,
        id,
        rendererWriteTarget(ctx.dataDir, deps.saveTargets, file, defaultManifestFile(ctx.dataDir, id)),
      ),
  }
}
