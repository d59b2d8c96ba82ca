import type { juryContract } from '../../shared/api/jury'
import type { AppContext } from '../app/context'
import { AppError } from '../errors'
import type { HandlersFor } from '../../shared/api/handlers'
import { instanceScores, runAgreement, runBenchmarks, runScoringReport } from './run/report'
import { recordedScoreRun, scoringPasses } from './run/passes'
import { reportedAsProgress } from './run/score-run'
import { assertKnownJury, readScoringSettings, writeScoringSettings } from './run/settings'

/** Scoring passes running in this process, by run id (one at a time per run). */
const running = new Map<number, { jobId: string; controller: AbortController }>()

export function juryHandlers(ctx: AppContext): HandlersFor<keyof typeof juryContract> {
  return {
    'jury:settings': () => readScoringSettings(ctx),
    'jury:settings-set': (input) => writeScoringSettings(ctx, input),
    'jury:score-run': (input) => {
      runBenchmarks(ctx.db, input.runId) // not_found before anything starts
      // A mistyped judge given for this pass is refused now, not after the job started.
      assertKnownJury(ctx, input)
      const current = running.get(input.runId)
      if (current)
        throw new AppError('conflict', `run ${input.runId} is already being scored (job ${current.jobId})`)
      const jobId = `score-${input.runId}-${Date.now()}`
      const controller = new AbortController()
      running.set(input.runId, { jobId, controller })
      // Runs in the background; progress, completion and failure arrive as job:progress events.
      void recordedScoreRun(ctx, input.runId, {
        jobId,
        signal: controller.signal,
        ...(input.judges !== undefined ? { judges: input.judges } : {}),
        ...(input.embeddingModel !== undefined ? { embeddingModel: input.embeddingModel } : {}),
        ...(input.sqlDatabase !== undefined ? { sqlDatabase: input.sqlDatabase } : {}),
      })
        .catch((e: unknown) => {
          // scoreRun reports its own failures once it has started; a failure before that
          // (an unknown judge, no judges set) is reported here.
          if (reportedAsProgress(e)) return
          ctx.events.emit('job:progress', {
            jobId,
            kind: 'score',
            label: `Scoring run ${input.runId}`,
            done: 0,
            total: null,
            unit: 'items',
            state: 'failed',
            message: e instanceof Error ? e.message : String(e),
          })
        })
        .finally(() => running.delete(input.runId))
      return { runId: input.runId, jobId }
    },
    'jury:cancel-score': ({ runId }) => {
      const current = running.get(runId)
      if (!current) return { cancelled: false }
      current.controller.abort()
      return { cancelled: true }
    },
    'jury:report': ({ runId }) => runScoringReport(ctx.db, runId),
    'jury:agreement': ({ runId }) => runAgreement(ctx.db, runId),
    'jury:passes': ({ runId }) => scoringPasses(ctx.db, runId),
    'jury:instance-scores': ({ runItemId }) => instanceScores(ctx.db, runItemId),
  }
}
