import type { AnchoredVerifyResult, AnchorInfo } from '../../shared/api/audit'
import type { BenchmarkAgreement } from '../../shared/api/jury'
import type { Leaderboard } from '../../shared/api/leaderboard'
import type { Approval, AuditSummary } from '../../shared/api/models'
import type { ReviewAgreement, ScorerLeague } from '../../shared/api/review'
import type { RunManifest } from '../../shared/api/runs'
import type { TaxonomyView } from '../../shared/api/benchmarks'
import type { AppContext } from '../app/context'
import { APP_VERSION } from '../app/version'
import { computeLeaderboardAsync } from '../analysis/leaderboard'
import { latestAnchors } from '../audit/handlers'
import { verifyWithAnchors } from '../audit/anchor-verify'
import { auditSummary } from '../audit/query'
import { loadResources } from '../benchmarks/resources'
import { taxonomyView } from '../benchmarks/taxonomy'
import { listApprovals } from '../egress/policy'
import { runAgreement } from '../jury/run/report'
import { modelFamilies, type ModelFamily } from '../models/family'
import { scorerLeague } from '../review/league'
import { reviewAgreement } from '../review/report'
import { listReviewSets } from '../review/sets'
import { currentManifest, runRow } from '../runs/store'
import { reportCharts, type ReportCharts } from './charts'
import { reportExamples, type BenchmarkExamples } from './examples'

/** What a report covers: the leaderboard selection (runs, category, seed, adjustment) and extras. */
export interface ReportOptions {
  runIds?: number[]
  categoryId?: string
  seed?: number
  adjust?: 'holm' | 'bh'
  /** Each model's own instances instead of the common ones (no tests). */
  unpaired?: boolean
  /** Jury scores calibrated to the clinicians beside the raw ones: this stored calibration, or the newest. */
  calibration?: 'latest' | number
  /** Instance texts per benchmark (0: none — the default, since instances may hold patient data). */
  includeExamples?: number
  /** USD per GPU-hour: prices local models by their measured generation time. */
  gpuHourUsd?: number
  /** ISO time the report is dated (default now). */
  now?: string
}

/** Everything the sections are written from: the same objects the screens get from their handlers. */
export interface ReportInputs {
  options: ReportOptions
  generatedAt: string
  appVersion: string
  leaderboard: Leaderboard
  manifests: RunManifest[]
  taxonomy: TaxonomyView
  /** Jury agreement per benchmark of every run used (`jury:agreement`). */
  juryAgreement: { runId: number; benchmarks: BenchmarkAgreement[] }[]
  families: Map<string, ModelFamily>
  reviews: ReviewAgreement[]
  league: ScorerLeague | null
  audit: AuditSummary
  auditVerify: AnchoredVerifyResult
  approvals: Approval[]
  lastAnchor: AnchorInfo | null
  charts: ReportCharts
  examples: BenchmarkExamples[]
}

export type ReportCtx = Pick<
  AppContext,
  'db' | 'dbPath' | 'dataDir' | 'resourcesDir' | 'env' | 'keyProtector' | 'workers'
>

/** Judges that voted on the runs used (sorted). */
export function judgesOf(inputs: Pick<ReportInputs, 'juryAgreement'>): string[] {
  const judges = new Set<string>()
  for (const r of inputs.juryAgreement)
    for (const b of r.benchmarks) for (const j of b.agreement.judges) judges.add(j.judge)
  return [...judges].sort()
}

/** Runs `f`; if it throws, the pending promise's failure is handled (none goes unhandled) and the error rethrown. */
function afterFailure<T>(pending: Promise<unknown>, f: () => T): T {
  try {
    return f()
  } catch (e) {
    pending.catch(() => undefined)
    throw e
  }
}

/** Collects the inputs once, through the functions the screens' handlers call. */
export async function gatherReportInputs(
  ctx: ReportCtx,
  options: ReportOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<ReportInputs> {
  // The audit checks run on this thread while the bootstrap's worker threads compute.
  const pending = computeLeaderboardAsync(
    ctx,
    {
      ...(options.runIds ? { runIds: options.runIds } : {}),
      ...(options.categoryId ? { categoryId: options.categoryId } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.adjust ? { adjust: options.adjust } : {}),
      ...(options.unpaired ? { unpaired: true } : {}),
      ...(options.calibration !== undefined ? { calibration: options.calibration } : {}),
    },
    onProgress,
  )
  const audit = afterFailure(pending, () => auditSummary(ctx.db))
  const auditVerify = afterFailure(pending, () => verifyWithAnchors(ctx))
  const leaderboard = await pending
  const usedRuns = leaderboard.runs.filter((r) => r.used).map((r) => r.id)
  const manifests = usedRuns
    .map((id) => currentManifest(ctx.db, runRow(ctx.db, id)))
    .filter((m): m is RunManifest => m !== null)
  const juryAgreement = usedRuns.map((runId) => ({ runId, benchmarks: runAgreement(ctx.db, runId) }))
  const setIds = listReviewSets(ctx.db)
    .filter((s) => usedRuns.includes(s.runId))
    .map((s) => s.id)
  const reviews = setIds.map((id) => reviewAgreement(ctx.db, id))
  const anchors = ctx.dataDir ? latestAnchors(ctx as AppContext, 1).latest : []
  const partial = { juryAgreement }
  return {
    options,
    generatedAt: options.now ?? new Date().toISOString(),
    appVersion: APP_VERSION,
    leaderboard,
    manifests,
    taxonomy: taxonomyView(ctx.db, loadResources(ctx.resourcesDir)),
    juryAgreement,
    families: modelFamilies(ctx.db, [...leaderboard.rows.map((r) => r.modelKey), ...judgesOf(partial)]),
    reviews,
    league: setIds.length > 0 ? scorerLeague(ctx.db, setIds) : null,
    audit,
    auditVerify,
    approvals: listApprovals(ctx.db),
    lastAnchor: anchors[0] ?? null,
    charts: await reportCharts({ leaderboard, audit, agreements: reviews }),
    examples: options.includeExamples ? reportExamples(ctx.db, leaderboard, options.includeExamples) : [],
  }
}
