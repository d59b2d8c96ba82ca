import type { Leaderboard } from '../../../shared/api/leaderboard'
import type { AuditSummary } from '../../../shared/api/models'
import type { ReviewAgreement } from '../../../shared/api/review'

/** One chart for the chart worker to draw: which shared component, its data, size and id prefix. */
export type ChartJob = (
  | { kind: 'cost' | 'runtime'; data: Leaderboard }
  | { kind: 'audit'; data: AuditSummary }
  | { kind: 'agreement'; data: ReviewAgreement }
) & {
  width: number
  height: number
  /** Prefix of the SVG's ids: unique per chart, so several charts can sit in one HTML page. */
  idPrefix: string
  title: string
  alt: string
}

export type ChartWorkerReply = { ok: true; svgs: string[] } | { ok: false; message: string }
