import type { CreateRunInput, RunSummary } from '../../shared/api/runs'
import { CreateRunInput as CreateRunSchema } from '../../shared/api/runs'
import type { AppContext } from '../app/context'
import { AppError } from '../errors'
import { startExecution, type ExecutionOptions, type RunExecution } from './engine'
import { activeExecution, isActive } from './executions'
import { leaseState } from '../dispatch/lease'
import { createRun } from './create'
import { refreshManifest, runRow, runSummary } from './store'

/**
 * What the UI and the CLI do to runs: start, pause, resume, cancel. A run executing in this
 * process is told directly; a run executing in another process (the CLI while the app is open, or
 * the reverse) is asked through runs.control, which that process reads every half second.
 */

type Ctx = Pick<AppContext, 'db' | 'env' | 'events'>

export async function startNewRun(
  ctx: Ctx,
  input: CreateRunInput,
  options?: ExecutionOptions,
): Promise<{ runId: number; execution: RunExecution }> {
  const runId = await createRun(ctx, CreateRunSchema.parse(input))
  const execution = startExecution(ctx, runId, options)
  return { runId, execution }
}

export function resumeRun(ctx: Ctx, runId: number, options?: ExecutionOptions): RunExecution {
  return startExecution(ctx, runId, options)
}

function finishIdle(ctx: Ctx, runId: number, status: 'paused' | 'cancelled'): void {
  ctx.db
    .transaction(() => {
      ctx.db
        .prepare(
          'UPDATE runs SET status = ?, control = NULL, lease_owner = NULL, lease_until = NULL, finished_at = ? WHERE id = ?',
        )
        .run(status, status === 'cancelled' ? new Date().toISOString() : null, runId)
      refreshManifest(ctx.db, runId)
    })
    .immediate()
}

/** Pause or cancel. Resolves once the run has stopped when it runs in this process. */
export async function stopRun(ctx: Ctx, runId: number, action: 'pause' | 'cancel'): Promise<RunSummary> {
  const active = activeExecution(ctx.db, runId)
  if (active) {
    if (action === 'pause') active.pause()
    else active.cancel()
    await active.done
    return runSummary(ctx.db, runId, isActive(ctx.db))
  }
  const row = runRow(ctx.db, runId)
  if (row.status === 'completed' || row.status === 'cancelled')
    throw new AppError('conflict', `Run ${runId} is ${row.status}; there is nothing to ${action}`)
  if (action === 'pause' && row.status === 'paused') return runSummary(ctx.db, runId, isActive(ctx.db))
  if (row.status === 'running' && !leaseState(row.lease_owner, row.lease_until).stale) {
    // Executing in another process: ask it, and wait (up to 10 s) until it has stopped.
    ctx.db.prepare('UPDATE runs SET control = ? WHERE id = ?').run(action, runId)
    const deadline = Date.now() + 10_000
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100))
      const now = runRow(ctx.db, runId)
      if (now.status !== 'running') return runSummary(ctx.db, runId, isActive(ctx.db))
    }
    return runSummary(ctx.db, runId, isActive(ctx.db))
  }
  // Not executing anywhere (pending, paused, failed, or interrupted by a dead process).
  if (action === 'pause' && row.status !== 'running' && row.status !== 'pending')
    throw new AppError('conflict', `Run ${runId} is ${row.status}, not running; there is nothing to pause`)
  finishIdle(ctx, runId, action === 'pause' ? 'paused' : 'cancelled')
  return runSummary(ctx.db, runId, isActive(ctx.db))
}
