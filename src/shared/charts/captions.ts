import { formatUsd, type Leaderboard } from '../api/leaderboard'
import type { AuditSummary } from '../api/models'
import type { ReviewAgreement } from '../api/review'
import { formatBytes, hostPort, listText as list } from '../format'
import { chartedDestinations, MAX_DESTINATIONS } from './audit-data'
import { costPoints, costScale, secondsTick, type CostAxis } from './cost-points'
import { paretoFrontier } from './pareto'

/**
 * What each chart is called and says in plain words (a clinician's line under it) and its text
 * alternative: one wording for the screen and the report.
 */

export interface ChartText {
  title: string
  caption: string
  /** Screen readers and the PDF's text layer: the data in words. */
  alt: string
}

export function costChartText(data: Leaderboard, axis: CostAxis): ChartText {
  const { points } = costPoints(data, axis)
  const front = paretoFrontier(
    points,
    (p) => p.x,
    (p) => p.winRate,
  ).map((p) => p.modelKey)
  const log = costScale(points, axis).kind === 'log' ? ' The horizontal axis is on a log scale.' : ''
  const frontier = front.length
    ? ` Circled in orange, on the dashed line (the Pareto frontier): ${list(front)} — no other model is both ${axis === 'cost' ? 'cheaper' : 'faster'} and better.`
    : ''
  if (axis === 'runtime')
    return {
      title: 'Mean win rate against time per answer',
      caption: `Each dot is a model: higher is better, further left is faster.${frontier}${log}`,
      alt: `Mean win rate against mean time per answer: ${points.map((p) => `${p.modelKey} ${secondsTick(p.runtimeS)}, win rate ${p.winRate.toFixed(3)}`).join('; ')}.`,
    }
  return {
    title: 'Mean win rate against cost per 1,000 answers',
    caption: `Each filled dot is a model's total cost per 1,000 answers (the model plus the jury that scored it); the open dot is the model alone and the bar between them is the jury's share. Higher is better, further left is cheaper.${frontier}${log}`,
    alt: `Mean win rate against cost per 1,000 answers: ${points.map((p) => `${p.modelKey} ${formatUsd(p.totalUsd)} (model ${formatUsd(p.modelUsd)}, jury ${formatUsd(p.juryUsd)}), win rate ${p.winRate.toFixed(3)}`).join('; ')}.`,
  }
}

export function auditChartText(data: AuditSummary): ChartText {
  const shown = chartedDestinations(data)
  const off = data.destinations.filter((d) => !d.loopback)
  const offSent = off.reduce((s, d) => s + d.bytesSent, 0)
  const more =
    data.destinations.length > MAX_DESTINATIONS
      ? ` The ${MAX_DESTINATIONS} destinations with the most traffic are drawn (off the machine first).`
      : ''
  return {
    title: 'Data sent and received per destination',
    caption: `${off.length ? `${formatBytes(offSent)} left this machine, to ${off.length} destination${off.length === 1 ? '' : 's'} (red).` : 'Nothing left this machine: every destination is on it (teal).'} Each step on the log scale is ten or 1,024 times the one before, so a small transfer off the machine stays visible beside a large one to a local model.${more}`,
    alt: `Bytes per destination: ${shown.map((d) => `${hostPort(d.host, d.port)} (${d.loopback ? 'this machine' : 'off the machine'}) sent ${formatBytes(d.bytesSent)}, received ${formatBytes(d.bytesReceived)}`).join('; ')}.`,
  }
}

export function agreementChartText(a: ReviewAgreement): ChartText {
  const fit = a.fit
  return {
    title: `Jury against clinicians, per output — review set ${a.setId}`,
    caption: `Each dot is an output rated by clinicians and scored by the jury (mean of the criteria, 1–5). Dots on the dashed line got the same score from both; above it, the clinicians rated higher than the jury.${fit ? ` The solid line is the trend: clinicians ≈ ${fit.intercept.toFixed(2)} + ${fit.slope.toFixed(2)} × jury.` : ''}`,
    alt: `Scatter of ${a.points.length} outputs: jury score against clinician score`,
  }
}
