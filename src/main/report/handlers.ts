import { join } from 'node:path'
import type { reportContract } from '../../shared/api/report'
import type { AppContext } from '../app/context'
import { createSaveTargets, exportsDir, rendererWriteTarget, type SaveTargets } from '../app/save-targets'
import type { HandlersFor } from '../../shared/api/handlers'
import { writeReport, type Renderers } from './write'

/** Where a report goes when the user names no file: the exports folder next to the database. */
export function defaultReportFile(dataDir: string, format: 'html' | 'pdf', now = new Date()): string {
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-')
  return join(exportsDir(dataDir), `wardeval-report-${stamp}.${format}`)
}

export function reportHandlers(
  ctx: AppContext,
  deps: { saveTargets: SaveTargets; renderers?: Renderers } = { saveTargets: createSaveTargets() },
): HandlersFor<keyof typeof reportContract> {
  return {
    'report:export': async ({ format, file, jobId, ...options }) => {
      // The renderer may name a file only if the user chose it in a save dialog (or it is in exports/).
      const out = rendererWriteTarget(
        ctx.dataDir,
        deps.saveTargets,
        file,
        defaultReportFile(ctx.dataDir, format),
      )
      const progress = (label: string, done: number, total: number, state: 'running' | 'done' = 'running') =>
        jobId &&
        ctx.events.emit('job:progress', {
          jobId,
          kind: 'report',
          label,
          done,
          total,
          unit: 'resamples',
          state,
          message: null,
        })
      const r = await writeReport(
        ctx,
        { ...options, out },
        {
          ...(deps.renderers ? { renderers: deps.renderers } : {}),
          onProgress: (done, total) => progress('Computing intervals and tests', done, total),
        },
      )
      progress('Report written and signed', 1, 1, 'done')
      return r
    },
  }
}
