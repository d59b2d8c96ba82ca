import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { exportContract } from '../../shared/api/export'
import type { HandlersFor } from '../../shared/api/handlers'
import type { AppContext } from '../app/context'
import { createSaveTargets, exportsDir, rendererWriteTarget, type SaveTargets } from '../app/save-targets'
import { exportHelm, exportInstances, exportLeaderboard, type Progress } from './exports'
import { checkFileTarget } from './write'

/**
 * The app's exports: written to the file the user chose in the save dialog (which already asked
 * before replacing a file), or, without a dialog, to a new time-stamped file in the exports folder.
 * Long exports report `job:progress` (kind 'export') under the caller's job id.
 */

function defaultFile(dataDir: string, stem: string, ext: string): string {
  const dir = exportsDir(dataDir)
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  return join(dir, `${stem}-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`)
}

export function exportHandlers(
  ctx: AppContext,
  deps: { saveTargets: SaveTargets } = { saveTargets: createSaveTargets() },
): HandlersFor<keyof typeof exportContract> {
  const target = (file: string | undefined, stem: string, ext: string) =>
    checkFileTarget(
      rendererWriteTarget(ctx.dataDir, deps.saveTargets, file, defaultFile(ctx.dataDir, stem, ext)),
      true,
      'file',
    )
  const progress =
    (jobId: string | undefined, label: string, unit: string): Progress =>
    (done, total) =>
      jobId &&
      ctx.events.emit('job:progress', {
        jobId,
        kind: 'export',
        label,
        done,
        total,
        unit,
        state: total !== null && done >= total ? 'done' : 'running',
        message: null,
      })
  return {
    'export:leaderboard': ({ query, format, file, jobId }) =>
      exportLeaderboard(
        ctx,
        query,
        format,
        target(file, 'leaderboard', format),
        progress(jobId, 'Computing the leaderboard', 'resamples'),
      ),
    'export:helm': ({ query, file, jobId }) =>
      exportHelm(
        ctx,
        query,
        { file: target(file, 'helm-stats', 'json') },
        progress(jobId, 'Computing the leaderboard', 'resamples'),
      ),
    'export:instances': ({ runId, format, file, includeText, confirmed, jobId }) =>
      exportInstances(
        ctx,
        { runId, format, file: target(file, `run-${runId}-results`, format), includeText, confirmed },
        progress(jobId, `Exporting the results of run ${runId}`, 'records'),
      ),
  }
}
