import type { Leaderboard } from '../../shared/api/leaderboard'
import type { AuditSummary } from '../../shared/api/models'
import type { ReviewAgreement } from '../../shared/api/review'
import type { ChartBlock } from './doc'

/** The same objects the app's screens receive from their handlers. */
export interface ReportChartInput {
  leaderboard: Leaderboard
  audit: AuditSummary
  agreements: ReviewAgreement[]
}

/** Charts for the report, drawn by the app's own chart components (one source of charts). */
export interface ReportCharts {
  costPerformance: ChartBlock | null
  runtime: ChartBlock | null
  agreement: ChartBlock[]
  auditVolume: ChartBlock | null
}

// SCAFFOLD (replaced in this session by the shared-charts work): no charts yet.
export async function reportCharts(_input: ReportChartInput): Promise<ReportCharts> {
  return { costPerformance: null, runtime: null, agreement: [], auditVolume: null }
}
