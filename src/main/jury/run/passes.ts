import type { ScorePassResult, ScoringPass, ScoringPasses } from '../../../shared/api/jury'
import type { AppContext } from '../../app/context'
import type { Db } from '../../db/open'
import { isAppError } from '../../errors'
import { runBenchmarks } from './report'
import { scoreRun, type ScoreRunOptions } from './score-run'
import { assertKnownJury, readScoringSettings } from './settings'

/**
 * Every scoring pass is recorded (table scoring_passes, migration 0014) with its outcome, so the
 * Runs screen and `jury passes` say why a pass failed — the judge, the endpoint and the server's
 * answer — next to the run's failed votes counted by reason. The app and the CLI start passes
 * through `recordedScoreRun`; judges and the embedding model given for one pass are checked
 * against the known models first, like the stored settings.
 */

type Ctx = Parameters<typeof scoreRun>[0] & Pick<AppContext, 'db'>

export async function recordedScoreRun(
  ctx: Ctx,
  runId: number,
  options: ScoreRunOptions = {},
): Promise<ScorePassResult> {
  runBenchmarks(ctx.db, runId) // not_found before anything is recorded
  assertKnownJury(ctx, {
    ...(options.judges !== undefined ? { judges: options.judges } : {}),
    ...(options.embeddingModel !== undefined ? { embeddingModel: options.embeddingModel } : {}),
  })
  const settings = readScoringSettings(ctx)
  const jobId = options.jobId ?? `score-${runId}-${Date.now()}`
  const id = Number(
    ctx.db
      .prepare(
        `INSERT INTO scoring_passes (run_id, job_id, judges_json, embedding_model, state, started_at)
         VALUES (?, ?, ?, ?, 'running', ?)`,
      )
      .run(
        runId,
        jobId,
        JSON.stringify(options.judges ?? settings.judges),
        options.embeddingModel !== undefined ? options.embeddingModel : settings.embeddingModel,
        new Date().toISOString(),
      ).lastInsertRowid,
  )
  const finish = (state: ScoringPass['state'], code: string | null, message: string) =>
    ctx.db
      .prepare(
        'UPDATE scoring_passes SET state = ?, error_code = ?, message = ?, finished_at = ? WHERE id = ?',
      )
      .run(state, code, message, new Date().toISOString(), id)
  try {
    const result = await scoreRun(ctx, runId, { ...options, jobId })
    const s = result.pass
    finish(
      'done',
      null,
      `${s.items} items; ${s.judgeRequests} judge requests, ${s.votesWritten} votes and ${s.metricRowsWritten} metric results written`,
    )
    return result
  } catch (e) {
    const cancelled = options.signal?.aborted === true
    finish(
      cancelled ? 'cancelled' : 'failed',
      isAppError(e) ? e.code : cancelled ? null : 'internal',
      cancelled
        ? 'Scoring was cancelled; what was scored is kept. Score the run again to continue.'
        : e instanceof Error
          ? e.message
          : String(e),
    )
    throw e
  }
}

interface PassRow {
  id: number
  run_id: number
  judges_json: string
  embedding_model: string | null
  state: ScoringPass['state']
  error_code: string | null
  message: string | null
  started_at: string
  finished_at: string | null
}

/** A failed vote's explanation without its attempt count, so votes failing alike group together. */
export function failedVoteReason(explanation: string | null): string {
  if (!explanation) return 'no reason recorded'
  return explanation
    .replace(/^No usable answer after \d+ attempts?[;:]\s*/, '')
    .replace(/^the last request failed: /, 'request failed: ')
}

/** The run's recent scoring passes (newest first) and its failed votes counted by judge and reason. */
export function scoringPasses(db: Db, runId: number, limit = 10): ScoringPasses {
  runBenchmarks(db, runId)
  const passes = (
    db
      .prepare('SELECT * FROM scoring_passes WHERE run_id = ? ORDER BY id DESC LIMIT ?')
      .all(runId, limit) as PassRow[]
  ).map((r): ScoringPass => ({
    id: r.id,
    runId: r.run_id,
    judges: JSON.parse(r.judges_json) as string[],
    embeddingModel: r.embedding_model,
    state: r.state,
    errorCode: r.error_code,
    message: r.message,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  }))
  const rows = db
    .prepare(
      `SELECT v.judge_key AS judge, v.explanation, COUNT(*) AS n FROM jury_votes v
       JOIN run_items ri ON ri.id = v.run_item_id
       WHERE ri.run_id = ? AND v.status = 'failed' GROUP BY v.judge_key, v.explanation`,
    )
    .all(runId) as { judge: string; explanation: string | null; n: number }[]
  const grouped = new Map<string, { judge: string; reason: string; votes: number }>()
  for (const r of rows) {
    const reason = failedVoteReason(r.explanation)
    const key = `${r.judge}\u0000${reason}`
    const g = grouped.get(key) ?? { judge: r.judge, reason, votes: 0 }
    g.votes += r.n
    grouped.set(key, g)
  }
  const failedVotes = [...grouped.values()].sort(
    (a, b) => b.votes - a.votes || a.judge.localeCompare(b.judge),
  )
  return { passes, failedVotes }
}
